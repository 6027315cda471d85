import { setTimeout as sleep } from 'node:timers/promises';
import type { Response } from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectAnswer } from './support/answers.js';
import { JWKS_FAILURES, type TestIssuer } from './support/issuer.js';
import { startProbeServer } from './support/probe-server.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.useRealTimers();
  while (cleanup.length) await cleanup.pop()!();
});

/** A refresh runs in the background: calls until one is not accepted (or gives up and returns the last). */
async function untilRefused(call: (token: string) => Promise<Response>, token: string): Promise<Response> {
  let res = await call(token);
  for (let i = 0; i < 200 && res.status === 200; i++) {
    await sleep(25);
    res = await call(token);
  }
  return res;
}

async function untilJwksHits(idp: TestIssuer, hits: number): Promise<void> {
  for (let i = 0; i < 200 && idp.jwksHits < hits; i++) await sleep(25);
  expect(idp.jwksHits).toBe(hits);
}

describe('the keys held are refreshed once they are cacheMaxAge old', () => {
  it('by default after 10 minutes: a key removed from the JWKS is then refused', async () => {
    // Only Date is faked: sockets and timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    // No verified-token cache: every request below reaches key selection.
    const { idp, call, stop } = await startProbeServer({ cache: false });
    cleanup.push(stop);
    const token = await idp.sign({ exp: Math.floor(Date.now() / 1000) + 3600 });
    const es256 = await idp.sign({ exp: Math.floor(Date.now() / 1000) + 3600 }, { alg: 'ES256' });
    expect((await call(token)).status).toBe(200);
    idp.unpublishKey('rs256');

    vi.setSystemTime(Date.now() + 599_000);
    expect((await call(token)).status).toBe(200);
    expect(idp.jwksHits).toBe(1);

    vi.setSystemTime(Date.now() + 2_000);
    // Answered from the keys held while the refresh runs; refused once it got the new key set.
    expect((await call(token)).status).toBe(200);
    expectAnswer(await untilRefused(call, token), 401, 'invalid_token', 'Unknown signing key');
    expect((await call(es256)).status).toBe(200);
  });

  it('a key removed from the JWKS is refused after a configured cacheMaxAge', async () => {
    const { idp, call, stop } = await startProbeServer({ cache: false, cacheMaxAge: 300 });
    cleanup.push(stop);
    const token = await idp.sign();
    expect((await call(token)).status).toBe(200);
    idp.unpublishKey('rs256');
    await sleep(350);
    expectAnswer(await untilRefused(call, token), 401, 'invalid_token', 'Unknown signing key');
    expect((await call(await idp.sign({}, { alg: 'ES256' }))).status).toBe(200);
  });

  const failures: Array<[string, (idp: TestIssuer) => void]> = [
    ...JWKS_FAILURES,
    ['hangs', (idp) => (idp.jwksMode = 'hang')],
    ['closes the connection without answering', (idp) => (idp.jwksMode = 'hangup')],
  ];
  it.each(failures)(
    'keeps the keys held while the JWKS %s at refresh time, and refreshes once it is back',
    async (_case, fail) => {
      // A failed refresh is tried again after max(cooldownDuration, timeoutDuration).
      const { idp, call, stop } = await startProbeServer({
        cache: false,
        cacheMaxAge: 300,
        cooldownDuration: 1000,
        timeoutDuration: 1000,
      });
      cleanup.push(stop);
      const token = await idp.sign();
      expect((await call(token)).status).toBe(200);
      fail(idp);
      await sleep(350);
      expect((await call(token)).status).toBe(200);
      await untilJwksHits(idp, 2);
      await sleep(100);
      // Every key of the set held still verifies (one never used before too), with no fetch per request.
      for (const alg of ['RS256', 'PS256', 'ES256'] as const) {
        expect((await call(await idp.sign({ sub: alg }, { alg }))).status).toBe(200);
      }
      expect(idp.jwksHits).toBe(2);

      Object.assign(idp, { jwksMode: 'ok', jwksBody: undefined });
      idp.unpublishKey('rs256');
      await sleep(1100);
      expectAnswer(await untilRefused(call, token), 401, 'invalid_token', 'Unknown signing key');
    },
  );
});
