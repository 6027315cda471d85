import { afterEach, describe, expect, it } from 'vitest';
import { expectAnswer } from './support/answers.js';
import { startProbeServer } from './support/probe-server.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** The default cooldown (30 s) outlasts each test, so every step below falls inside one period. */
async function warmProbe() {
  // No verified-token cache: every request below reaches key selection.
  const probe = await startProbeServer({ cache: false });
  cleanup.push(probe.stop);
  expect((await probe.call(await probe.idp.sign())).status).toBe(200);
  expect(probe.idp.jwksHits).toBe(1);
  return probe;
}

describe('a key published after the JWKS was fetched (rotation)', () => {
  it('verifies at once, with one more JWKS fetch: the first fetch starts no cooldown', async () => {
    const { idp, call } = await warmProbe();
    await idp.publishKey('next');
    expect((await call(await idp.sign({ sub: 'rotated' }, { kid: 'next' }))).status).toBe(200);
    expect(idp.jwksHits).toBe(2);
    // Both keys are held now: no further fetch for either.
    expect((await call(await idp.sign({ sub: 'old' }))).status).toBe(200);
    expect((await call(await idp.sign({ sub: 'new' }, { kid: 'next' }))).status).toBe(200);
    expect(idp.jwksHits).toBe(2);
  });

  it('then answers unknown kids within the cooldown without fetching again, in a burst or one by one', async () => {
    const { idp, call } = await warmProbe();
    await idp.publishKey('next');
    expect((await call(await idp.sign({}, { kid: 'next' }))).status).toBe(200);
    const unknown = await Promise.all(
      Array.from({ length: 30 }, (_, i) => idp.signWithForeignKey({}, { kid: `unknown-${i}` })),
    );
    const burst = await Promise.all(unknown.slice(0, 20).map((token) => call(token)));
    for (const res of burst) expectAnswer(res, 401, 'invalid_token', 'Unknown signing key');
    for (const token of unknown.slice(20)) {
      expectAnswer(await call(token), 401, 'invalid_token', 'Unknown signing key');
    }
    expect(idp.jwksHits).toBeLessThanOrEqual(3);
    // Keys held are still accepted meanwhile, including one published but never used before.
    expect((await call(await idp.sign({}, { alg: 'ES256' }))).status).toBe(200);
    expect((await call(await idp.sign({}, { kid: 'next' }))).status).toBe(200);
    expect(idp.jwksHits).toBeLessThanOrEqual(3);
  });

  it('refetches once for a burst of unknown kids on a warm issuer (one shared fetch)', async () => {
    const { idp, call } = await warmProbe();
    const unknown = await Promise.all(
      Array.from({ length: 20 }, (_, i) => idp.signWithForeignKey({}, { kid: `unknown-${i}` })),
    );
    const burst = await Promise.all(unknown.map((token) => call(token)));
    for (const res of burst) expectAnswer(res, 401, 'invalid_token', 'Unknown signing key');
    expect(idp.jwksHits).toBe(2);
  });

  it('keeps the held keys when a refetch finds none for its kid (an empty key set for a moment, then back)', async () => {
    const { idp, call } = await warmProbe();
    idp.jwksBody = JSON.stringify({ keys: [] });
    const probe = await idp.signWithForeignKey({}, { kid: 'made-up' });
    expectAnswer(await call(probe), 401, 'invalid_token', 'Unknown signing key');
    idp.jwksBody = undefined;
    // The held keys still verify within the cooldown: the empty answer did not replace them.
    for (let i = 0; i < 3; i++) expect((await call(await idp.sign({ n: i }))).status).toBe(200);
  });
});
