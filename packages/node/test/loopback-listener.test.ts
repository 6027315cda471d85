import { request } from 'node:http';
import { networkInterfaces, platform } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../src/index.js';
import { statusOf } from './support.js';

/** A GET with a Host header of our choosing (fetch does not let a caller set it). */
const getWithHost = (url: string, host: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });

describe('listenOnLoopback', () => {
  it('listens on the IPv4 loopback literal, on a port the system picked', async () => {
    const listener = await listenOnLoopback();
    try {
      expect(listener.redirectUri).toBe(`http://127.0.0.1:${listener.port}/callback`);
      expect(listener.port).toBeGreaterThan(1023);
    } finally {
      await listener.close();
    }
  });

  it('is reachable only on the loopback literal: not on other addresses of the machine (RFC 8252 §8.3)', async () => {
    const listener = await listenOnLoopback();
    try {
      // Every other address of this machine, and on Linux 127.0.0.2 (routed to lo, yet not 127.0.0.1).
      const others = Object.values(networkInterfaces())
        .flatMap((addresses) => addresses ?? [])
        .filter((address) => !address.internal)
        .map(({ address, family }) => (family === 'IPv6' ? `[${address}]` : address))
        .filter((address) => !address.startsWith('[fe80:'));
      const hosts = [...(platform() === 'linux' ? ['127.0.0.2'] : []), ...others];
      for (const host of hosts) {
        expect([host, await statusOf(`http://${host}:${listener.port}/callback`)]).toEqual([
          host,
          'ECONNREFUSED',
        ]);
      }
      expect(await statusOf(`${listener.redirectUri}?state=s&code=c`)).toBe(404);
    } finally {
      await listener.close();
    }
  });

  it('listens on a fixed port when asked, for providers that match the port exactly', async () => {
    const probe = await listenOnLoopback();
    const free = probe.port;
    await probe.close();
    const listener = await listenOnLoopback('/callback', free);
    try {
      expect(listener.redirectUri).toBe(`http://127.0.0.1:${free}/callback`);
    } finally {
      await listener.close();
    }
  });

  it('falls back to the IPv6 loopback literal where the IPv4 one is unavailable (RFC 8252 §7.3)', async () => {
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: listening there fails as a missing 127.0.0.1 would.
    const listener = await listenOnLoopback('/callback', 0, ['192.0.2.1', '::1']);
    const waiting = listener.waitForCallback('s');
    try {
      expect(listener.redirectUri).toBe(`http://[::1]:${listener.port}/callback`);
      const answered = fetch(`${listener.redirectUri}?code=c&state=s`);
      const accepted = await waiting;
      expect(accepted.url).toBe(`http://[::1]:${listener.port}/callback?code=c&state=s`);
      await accepted.respond({ status: 200, html: 'ok' });
      expect((await answered).status).toBe(200);
    } finally {
      await listener.close();
    }
  });

  it('does not move to IPv6 when the port is busy on IPv4: that is an error to report', async () => {
    const busy = await listenOnLoopback();
    try {
      await expect(listenOnLoopback('/callback', busy.port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await busy.close();
    }
  });

  it('answers 404 to anything but a GET of the callback with exactly the expected state', async () => {
    const listener = await listenOnLoopback();
    const waiting = listener.waitForCallback('the-state');
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.webPath(),
          fc.array(fc.tuple(fc.constantFrom('state', 'code', 'iss', 'x'), fc.string()), { maxLength: 4 }),
          async (path, params) => {
            const query = new URLSearchParams(params);
            const states = query.getAll('state');
            const answer = query.has('code') || query.has('error');
            const repeats = ['code', 'error', 'iss'].some((name) => query.getAll(name).length > 1);
            fc.pre(
              !(
                path === '/callback' &&
                states.length === 1 &&
                states[0] === 'the-state' &&
                answer &&
                !repeats
              ),
            );
            const url = `http://127.0.0.1:${listener.port}${path.startsWith('/') ? path : `/${path}`}?${query}`;
            expect(await statusOf(url)).toBe(404);
          },
        ),
        { numRuns: 60 },
      );
      const twice = `${listener.redirectUri}?state=the-state&state=the-state&code=c`;
      expect(await statusOf(twice)).toBe(404);
      expect(await statusOf(`${listener.redirectUri}?state=the-state`)).toBe(404);
      // Another Host (a page rebinding its own name to 127.0.0.1) is turned away too.
      expect(await getWithHost(`${listener.redirectUri}?state=the-state&code=c`, 'evil.example')).toBe(404);

      const accepted = statusOf(`${listener.redirectUri}?state=the-state&code=c`);
      const callback = await waiting;
      expect(new URL(callback.url).searchParams.get('code')).toBe('c');
      // The same callback again, while the first is still unanswered: not accepted twice.
      expect(await statusOf(`${listener.redirectUri}?state=the-state&code=c`)).toBe(404);
      await callback.respond({ status: 200, html: 'done' });
      expect(await accepted).toBe(200);
    } finally {
      await listener.close();
    }
  });

  it('reports each authorization response with another state or none, and nothing else it turns away', async () => {
    const listener = await listenOnLoopback();
    const others: number[] = [];
    const waiting = listener.waitForCallback('the-state', undefined, () => others.push(others.length));
    try {
      const { redirectUri } = listener;
      const turnedAway = [
        `${redirectUri}?state=another&code=c`,
        `${redirectUri}?state=another&error=access_denied`,
        `${redirectUri}?code=c`,
        `${redirectUri}?state=another`,
        `http://127.0.0.1:${listener.port}/favicon.ico?state=another&code=c`,
      ];
      for (const url of turnedAway) expect(await statusOf(url)).toBe(404);
      expect(await getWithHost(`${redirectUri}?state=another&code=c`, 'evil.example')).toBe(404);
      // The two with another state and the one with none; not the one without code or error, nor elsewhere.
      expect(others).toEqual([0, 1, 2]);

      const accepted = statusOf(`${redirectUri}?state=the-state&code=c`);
      const callback = await waiting;
      // Once one is accepted, nothing more is waited for: another state is not reported.
      expect(await statusOf(`${redirectUri}?state=another&code=c`)).toBe(404);
      await callback.respond({ status: 200, html: 'done' });
      expect(await accepted).toBe(200);
      expect(others).toEqual([0, 1, 2]);
    } finally {
      await listener.close();
    }
  });

  it('turns away, and reports, a response with the state that fromServer refuses; takes the next it accepts', async () => {
    const listener = await listenOnLoopback();
    let reported = 0;
    const asked: string[] = [];
    const fromServer = (url: string) => (
      asked.push(url),
      new URL(url).searchParams.get('iss') === 'https://idp'
    );
    const waiting = listener.waitForCallback('s', undefined, () => reported++, fromServer);
    try {
      const { redirectUri } = listener;
      expect(await statusOf(`${redirectUri}?state=s&code=c&iss=https%3A%2F%2Fother`)).toBe(404);
      expect(await statusOf(`${redirectUri}?state=s&code=c`)).toBe(404);
      expect(reported).toBe(2);
      const accepted = statusOf(`${redirectUri}?state=s&code=c&iss=https%3A%2F%2Fidp`);
      const callback = await waiting;
      expect(callback.url).toBe(`${redirectUri}?state=s&code=c&iss=https%3A%2F%2Fidp`);
      expect(asked).toEqual([
        `${redirectUri}?state=s&code=c&iss=https%3A%2F%2Fother`,
        `${redirectUri}?state=s&code=c`,
        callback.url,
      ]);
      await callback.respond({ status: 200, html: 'done' });
      expect(await accepted).toBe(200);
    } finally {
      await listener.close();
    }
  });

  it('takes a fromServer that throws for a refusal, and keeps listening', async () => {
    const listener = await listenOnLoopback();
    const waiting = listener.waitForCallback('s', AbortSignal.timeout(2000), undefined, () => {
      throw new Error('broken check');
    });
    try {
      expect(await statusOf(`${listener.redirectUri}?state=s&code=c`)).toBe(404);
      expect(await statusOf(`${listener.redirectUri}?state=s&code=c`)).toBe(404);
      await expect(waiting).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      await listener.close();
    }
  });

  it('never takes a response without a state as the answer, and refuses to wait for an empty state', async () => {
    const listener = await listenOnLoopback();
    try {
      await expect(listener.waitForCallback('')).rejects.toThrow(
        new TypeError('state must be a non-empty string'),
      );
      void listener.waitForCallback('s');
      expect(await statusOf(`${listener.redirectUri}?code=c`)).toBe(404);
      expect(await statusOf(`${listener.redirectUri}?code=c&state=s&state=s`)).toBe(404);
    } finally {
      await listener.close();
    }
  });

  it('rejects the wait with the reason of an aborted signal', async () => {
    const listener = await listenOnLoopback();
    try {
      const controller = new AbortController();
      const waiting = listener.waitForCallback('s', controller.signal);
      controller.abort(new Error('stop'));
      await expect(waiting).rejects.toThrow('stop');
      expect(await statusOf(`${listener.redirectUri}?state=s&code=c`)).toBe(404);
    } finally {
      await listener.close();
      await listener.close();
    }
  });
});
