import { setTimeout as sleep } from 'node:timers/promises';
import type { Response } from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectAnswer } from './support/answers.js';
import { JWKS_FAILURES, segment, type TestIssuer } from './support/issuer.js';
import { startProbeServer } from './support/probe-server.js';

const cleanup: Array<() => Promise<void>> = [];
beforeEach(() => {
  // Only Date is faked, so the tests say when a refresh is due: sockets and timers stay real.
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(async () => {
  vi.useRealTimers();
  while (cleanup.length) await cleanup.pop()!();
});

const later = (ms: number) => vi.setSystemTime(Date.now() + ms);
// No verified-token cache, so every request reaches key selection; a refresh due after 300 ms, and
// the next one after max(cooldownDuration, timeoutDuration).
const QUICK = { cache: false, cacheMaxAge: 300, cooldownDuration: 1000, timeoutDuration: 1000 } as const;

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
  it('by default after 10 minutes: a key removed from the JWKS is refused once the next refresh confirms it', async () => {
    // No verified-token cache: every request below reaches key selection.
    const { idp, call, stop } = await startProbeServer({ cache: false });
    cleanup.push(stop);
    const token = await idp.sign({ exp: Math.floor(Date.now() / 1000) + 3600 });
    const es256 = await idp.sign({ exp: Math.floor(Date.now() / 1000) + 3600 }, { alg: 'ES256' });
    expect((await call(token)).status).toBe(200);
    idp.unpublishKey('rs256');

    later(599_000);
    expect((await call(token)).status).toBe(200);
    expect(idp.jwksHits).toBe(1);

    later(2_000);
    // Answered from the keys held while the refresh runs, which finds the token's key gone.
    expect((await call(token)).status).toBe(200);
    await untilJwksHits(idp, 2);
    // Believed once the next refresh, max(cooldownDuration, timeoutDuration) later, finds it gone too.
    later(30_000);
    expectAnswer(await untilRefused(call, token), 401, 'invalid_token', 'Unknown signing key');
    expect((await call(es256)).status).toBe(200);
  });

  it('a key removed from the JWKS is refused after a configured cacheMaxAge', async () => {
    vi.useRealTimers();
    const { idp, call, stop } = await startProbeServer(QUICK);
    cleanup.push(stop);
    const token = await idp.sign();
    expect((await call(token)).status).toBe(200);
    idp.unpublishKey('rs256');
    await sleep(350);
    expectAnswer(await untilRefused(call, token), 401, 'invalid_token', 'Unknown signing key');
    expect((await call(await idp.sign({}, { alg: 'ES256' }))).status).toBe(200);
  });

  it('a key set served empty for a moment, with a refetch in the last cooldown, refuses no good token', async () => {
    const { idp, call, stop } = await startProbeServer({ cache: false, cacheMaxAge: 300 });
    cleanup.push(stop);
    const token = await idp.sign();
    expect((await call(token)).status).toBe(200);
    // Anyone can cause a refetch with a made-up kid: further ones wait for cooldownDuration (30 s).
    const madeUp = await idp.signWithForeignKey({}, { kid: 'made-up' });
    expectAnswer(await call(madeUp), 401, 'invalid_token', 'Unknown signing key');
    expect(idp.jwksHits).toBe(2);

    idp.jwksBody = JSON.stringify({ keys: [] });
    later(301);
    expect((await call(token)).status).toBe(200);
    await untilJwksHits(idp, 3);
    // The refresh was answered the empty set; the JWKS is whole again from its next answer on.
    idp.jwksBody = undefined;
    const answers: number[] = [];
    for (let i = 0; i < 20; i++) {
      answers.push((await call(token)).status);
      await sleep(25);
    }
    expect(answers).toEqual(answers.map(() => 200));
    // The next refresh gets the whole set, which verifies the token: nothing was removed.
    later(30_000);
    expect((await call(token)).status).toBe(200);
    await untilJwksHits(idp, 4);
    expect((await call(token)).status).toBe(200);
  });

  it('tokens refused before any key is fetched (a crit header) do not hold a due refresh back', async () => {
    const { idp, call, stop } = await startProbeServer(QUICK);
    cleanup.push(stop);
    const token = await idp.sign();
    expect((await call(token)).status).toBe(200);
    idp.unpublishKey('rs256');
    // jose refuses an unknown critical header before it asks for a key: the JWKS is not fetched.
    const header = segment({ alg: 'RS256', kid: 'rs256', crit: ['x'], x: 1 });
    const forged = `${header}.${token.split('.')[1]}.${Buffer.from('x'.repeat(256)).toString('base64url')}`;
    // Each time a refresh is due, a forged token comes first; two refreshes confirm the removal.
    for (const hits of [2, 3]) {
      later(1_100);
      expectAnswer(await call(forged), 401, 'invalid_token', 'Invalid token');
      expect((await call(token)).status).toBe(200);
      await untilJwksHits(idp, hits);
    }
    expectAnswer(await untilRefused(call, token), 401, 'invalid_token', 'Unknown signing key');
  });

  const failures: Array<[string, (idp: TestIssuer) => void]> = [
    ...JWKS_FAILURES,
    ['hangs', (idp) => (idp.jwksMode = 'hang')],
    ['closes the connection without answering', (idp) => (idp.jwksMode = 'hangup')],
  ];
  it.each(failures)(
    'keeps the keys held while the JWKS %s at refresh time, and refreshes once it is back',
    async (_case, fail) => {
      const { idp, call, stop } = await startProbeServer(QUICK);
      cleanup.push(stop);
      const token = await idp.sign();
      expect((await call(token)).status).toBe(200);
      fail(idp);
      later(301);
      expect((await call(token)).status).toBe(200);
      await untilJwksHits(idp, 2);
      // Every key of the set held still verifies (one never used before too), with no fetch per
      // request: the clock stands still, so no other refresh is due.
      for (const alg of ['RS256', 'PS256', 'ES256'] as const) {
        expect((await call(await idp.sign({ sub: alg }, { alg }))).status).toBe(200);
      }
      expect(idp.jwksHits).toBe(2);

      Object.assign(idp, { jwksMode: 'ok', jwksBody: undefined });
      idp.unpublishKey('rs256');
      later(1_100);
      // The refresh verifies an ES256 token: it got a key set, which no longer has the RS256 key.
      expect((await call(await idp.sign({}, { alg: 'ES256' }))).status).toBe(200);
      expectAnswer(await untilRefused(call, token), 401, 'invalid_token', 'Unknown signing key');
    },
  );
});
