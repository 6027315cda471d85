import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { expectAnswer } from './support/answers.js';
import { JWKS_FAILURES, type TestIssuer } from './support/issuer.js';
import { startProbeServer } from './support/probe-server.js';

// Long enough for the requests after a refetch (most of them sent at once) to fall inside one period.
const COOLDOWN = 2500;

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** Signed before the timed part, so only the requests fall inside one cooldown period. */
const signedWithUnknownKids = (idp: TestIssuer, count: number) =>
  Promise.all(Array.from({ length: count }, (_, i) => idp.signWithForeignKey({}, { kid: `unknown-${i}` })));

async function setUp() {
  // No verified-token cache: every request below reaches key selection.
  const probe = await startProbeServer({ cache: false, timeoutDuration: 1000, cooldownDuration: COOLDOWN });
  cleanup.push(probe.stop);
  const refusedEachTime = async (token: string, times: number, description: string) => {
    for (let i = 0; i < times; i++) expectAnswer(await probe.call(token), 401, 'invalid_token', description);
  };
  return { ...probe, refusedEachTime };
}

describe('at most one JWKS refetch per cooldownDuration for unknown kids while the JWKS fails', () => {
  it.each(JWKS_FAILURES)(
    'refetches a JWKS that %s once for many tokens with unknown kids, and keeps known keys working',
    async (_case, fail) => {
      const { idp, call } = await setUp();
      const unknown = await signedWithUnknownKids(idp, 20);
      expect((await call(await idp.sign())).status).toBe(200);
      // The last good fetch is now longer ago than the cooldown, so the next unknown kid may refetch.
      await sleep(COOLDOWN + 100);
      fail(idp);
      expectAnswer(await call(unknown[0]!), 401, 'invalid_token', 'Signing keys unavailable');
      // At once, so they fall inside the cooldown however slow the machine is.
      for (const res of await Promise.all(unknown.slice(1).map(call))) {
        expectAnswer(res, 401, 'invalid_token', 'Unknown signing key');
      }
      expect(idp.jwksHits).toBe(2);
      // A key that verified before is still accepted, without a fetch.
      expect((await call(await idp.sign({ sub: 'known' }))).status).toBe(200);
      expect(idp.jwksHits).toBe(2);

      // Once the cooldown has passed, one more refetch (answered now); then the cooldown again.
      await sleep(COOLDOWN + 100);
      idp.jwksMode = 'ok';
      idp.jwksBody = undefined;
      for (const token of await signedWithUnknownKids(idp, 3)) {
        expectAnswer(await call(token), 401, 'invalid_token', 'Unknown signing key');
      }
      expect(idp.jwksHits).toBe(3);
      // A published key that never verified before is accepted from the keys fetched.
      expect((await call(await idp.sign({}, { alg: 'ES256' }))).status).toBe(200);
      expect(idp.jwksHits).toBe(3);
    },
  );
});
