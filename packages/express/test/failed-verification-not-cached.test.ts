import { afterEach, describe, expect, it } from 'vitest';
import { startProbeServer } from './support/probe-server.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** An API with the verified-token cache on, as by default. */
async function setUp() {
  const probe = await startProbeServer({ cooldownDuration: 0 });
  cleanup.push(probe.stop);
  return probe;
}

describe('a failed verification is never cached', () => {
  it('a token refused while the keys were unavailable is accepted once they are back', async () => {
    const { idp, call } = await setUp();
    const token = await idp.sign({ sub: 'user-1' });
    idp.jwksMode = 'error';
    for (let attempt = 0; attempt < 3; attempt++) expect((await call(token)).status).toBe(401);
    idp.jwksMode = 'ok';
    expect((await call(token)).status).toBe(200);
    expect((await call(token)).status).toBe(200);
  });

  it('a refused token stays refused however often it comes, beside an accepted one', async () => {
    const { idp, call } = await setUp();
    const now = Math.floor(Date.now() / 1000);
    const refused = [
      await idp.sign({ sub: 'expired', exp: now - 60 }),
      await idp.sign({ sub: 'elsewhere', aud: 'https://another.example/api' }),
      await idp.signWithForeignKey({ sub: 'forged' }),
    ];
    const good = await idp.sign({ sub: 'good' });
    for (let round = 0; round < 3; round++) {
      expect((await call(good)).status).toBe(200);
      for (const token of refused) {
        const res = await call(token);
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
      }
    }
  });
});
