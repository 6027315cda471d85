import { generateKeyPairSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { expectAnswer } from './support/answers.js';
import { JWKS_FAILURES } from './support/issuer.js';
import { startProbeServer } from './support/probe-server.js';

// A failed attempt of an issuer with no verified key holds the next back for min(cooldownDuration, 1 s).
const BACKOFF = 1000;

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

describe('an issuer with no verified key yet, whose JWKS fails', () => {
  it.each(JWKS_FAILURES)(
    'is asked at most a couple of times by 50 requests while its JWKS %s, and recovers after the backoff',
    async (_case, fail) => {
      // Default cooldown (30 s); no verified-token cache, so every request reaches key selection.
      const { idp, call, stop } = await startProbeServer({ cache: false });
      cleanup.push(stop);
      fail(idp);
      const token = await idp.sign();
      const started = Date.now();
      const burst = await Promise.all(Array.from({ length: 25 }, () => call(token)));
      for (let i = 0; i < 25; i++) burst.push(await call(token));
      // Within one backoff (as on an idle machine) twice at most; on a slow one, once more per backoff.
      const backoffs = Math.floor((Date.now() - started) / BACKOFF);
      for (const res of burst) expectAnswer(res, 401, 'invalid_token', 'Signing keys unavailable');
      expect(idp.jwksHits).toBeGreaterThanOrEqual(1);
      expect(idp.jwksHits).toBeLessThanOrEqual(2 + backoffs);

      idp.jwksMode = 'ok';
      idp.jwksBody = undefined;
      await sleep(BACKOFF);
      expect((await call(token)).status).toBe(200);
    },
  );
});

// A JWKS that answers 200 but with the token's key in a form that cannot verify: the library instance
// keeps that key set for good, so the next attempt must be a new instance, which fetches again.
describe("an issuer with no verified key yet, whose JWKS first serves the token's key unusable", () => {
  const weakRsaKey = (): JWK => ({
    ...generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }),
    kid: 'rs256',
    alg: 'RS256',
  });
  it.each<[string, () => JWK]>([
    ['a 1024-bit RSA key', weakRsaKey],
    ['an RSA key with a truncated modulus', () => ({ kty: 'RSA', kid: 'rs256', n: 'AAAA', e: 'AQAB' })],
  ])('recovers after the backoff once the JWKS serves the key right (%s before)', async (_case, unusable) => {
    // A short cooldown: the backoff is min(cooldownDuration, 1 s).
    const { idp, call, stop } = await startProbeServer({ cache: false, cooldownDuration: 100 });
    cleanup.push(stop);
    idp.jwksBody = JSON.stringify({ keys: [unusable()] });
    const token = await idp.sign();
    expectAnswer(await call(token), 401, 'invalid_token', 'Signing keys unavailable');
    expect(idp.jwksHits).toBe(1);

    idp.jwksBody = undefined;
    await sleep(150);
    expect((await call(token)).status).toBe(200);
    expect(idp.jwksHits).toBe(2);
  });
});
