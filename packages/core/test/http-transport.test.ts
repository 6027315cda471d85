import fc from 'fast-check';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { InvalidResponseError, NetworkError, TimeoutError } from '../src/errors.js';
import { expectJsonObject, requestJson } from '../src/http.js';

describe('requestJson', () => {
  it("returns the status, the body's text and its JSON, or undefined for non-JSON", async () => {
    const json = await requestJson(
      'https://x',
      {},
      { fetch: async () => new Response('{"a":1}', { status: 201, headers: { 'dpop-nonce': 'n1' } }) },
    );
    expect(json).toEqual({ status: 201, headers: expect.any(Headers), body: { a: 1 }, text: '{"a":1}' });
    expect(json.headers.get('dpop-nonce')).toBe('n1');
    const html = await requestJson(
      'https://x',
      {},
      { fetch: async () => new Response('<html>', { status: 502 }) },
    );
    expect(html).toEqual({ status: 502, headers: expect.any(Headers), body: undefined, text: '<html>' });
  });

  it('turns a failed fetch into a NetworkError with the cause', async () => {
    const cause = new TypeError('fetch failed');
    const attempt = requestJson(
      'https://x',
      {},
      {
        fetch: async () => {
          throw cause;
        },
      },
    );
    await expect(attempt).rejects.toBeInstanceOf(NetworkError);
    await expect(attempt).rejects.toMatchObject({
      code: 'network_error',
      message: 'fetch failed: https://x',
      cause,
    });
  });

  it('sends the caller’s request unchanged, never follows a redirect, and can be aborted', async () => {
    const seen: Array<[string, RequestInit]> = [];
    const fetch = async (input: string, init: RequestInit) => {
      seen.push([input, init]);
      return new Response('{}');
    };
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    await requestJson('https://idp.test/token', { method: 'POST', headers, body: 'a=1' }, { fetch });
    const [url, init] = seen[0]!;
    expect(url).toBe('https://idp.test/token');
    expect(init).toMatchObject({ method: 'POST', headers, body: 'a=1', redirect: 'error' });
    expect(init.signal).toBeInstanceOf(AbortSignal);
    expect(init.signal!.aborted).toBe(false);
  });

  it('arms the timeout with the injected timers and clears it once answered or failed', async () => {
    const armed: number[] = [];
    const cleared: unknown[] = [];
    const timers = {
      setTimeout: (_: () => void, ms: number) => `timer-${armed.push(ms)}`,
      clearTimeout: (id: unknown) => void cleared.push(id),
    };
    await requestJson('https://x', {}, { fetch: async () => new Response('{}'), timeout: 1234, timers });
    await expect(
      requestJson('https://x', {}, { fetch: () => Promise.reject(new TypeError('down')), timers }),
    ).rejects.toBeInstanceOf(NetworkError);
    expect(armed).toEqual([1234, 10_000]);
    expect(cleared).toEqual(['timer-1', 'timer-2']);
  });

  it('aborts after the timeout with a TimeoutError', async () => {
    const server = createServer(() => {
      // never answers
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const url = `http://127.0.0.1:${port}/`;
      const attempt = requestJson(url, {}, { timeout: 50 });
      await expect(attempt).rejects.toBeInstanceOf(TimeoutError);
      await expect(attempt).rejects.toMatchObject({ code: 'timeout', message: `timeout: ${url}` });
      // What the aborted fetch threw stays as the cause.
      await expect(attempt).rejects.toHaveProperty('cause', expect.objectContaining({ name: 'AbortError' }));
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('expectJsonObject', () => {
  it('accepts a 200 JSON object and refuses anything else with the status', () => {
    expect(expectJsonObject(200, { a: 1 }, 'x')).toEqual({ a: 1 });
    expect(() => expectJsonObject(404, { a: 1 }, 'x')).toThrow(
      expect.objectContaining({ code: 'invalid_response', status: 404 }),
    );
    expect(() => expectJsonObject(200, null, 'x')).toThrow(
      expect.objectContaining({ code: 'invalid_response' }),
    );
  });

  it('names what was expected and the HTTP status in the error', () => {
    const refuse = () => expectJsonObject(503, { a: 1 }, 'discovery');
    expect(refuse).toThrow(InvalidResponseError);
    expect(refuse).toThrow(expect.objectContaining({ message: 'discovery: HTTP 503', status: 503 }));
  });

  it('refuses every body that is not a JSON object, whatever the server sends (property)', () => {
    const notAnObject = fc.oneof(
      fc.constant(null),
      fc.string(),
      fc.double(),
      fc.boolean(),
      fc.array(fc.jsonValue()),
    );
    fc.assert(
      fc.property(notAnObject, (body) => {
        expect(() => expectJsonObject(200, body, 'x')).toThrow(
          expect.objectContaining({ code: 'invalid_response', status: 200, message: 'x: HTTP 200' }),
        );
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (body) => {
        expect(expectJsonObject(200, body, 'x')).toBe(body);
      }),
    );
  });
});
