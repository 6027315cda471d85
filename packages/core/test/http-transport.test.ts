import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { NetworkError, TimeoutError } from '../src/errors.js';
import { expectJsonObject, requestJson } from '../src/http.js';

describe('requestJson', () => {
  it('returns the status and the JSON body, or undefined for non-JSON', async () => {
    const json = await requestJson(
      'https://x',
      {},
      { fetch: async () => new Response('{"a":1}', { status: 201, headers: { 'dpop-nonce': 'n1' } }) },
    );
    expect(json).toEqual({ status: 201, headers: expect.any(Headers), body: { a: 1 } });
    expect(json.headers.get('dpop-nonce')).toBe('n1');
    const html = await requestJson(
      'https://x',
      {},
      { fetch: async () => new Response('<html>', { status: 502 }) },
    );
    expect(html).toEqual({ status: 502, headers: expect.any(Headers), body: undefined });
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
    await expect(attempt).rejects.toMatchObject({ code: 'network_error', cause });
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
});
