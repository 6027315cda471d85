import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { requireAuth } from '../src/index.js';
import { close, listen, probeApp } from './support/app.js';
import { AUDIENCE, startTestIssuer } from './support/issuer.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** An API with the verified-token cache on, as by default. */
async function setUp() {
  const idp = await startTestIssuer();
  cleanup.push(() => idp.close());
  const server = await listen(
    probeApp(
      express,
      requireAuth({ issuerBaseURL: idp.issuer, audience: AUDIENCE, env: {}, cooldownDuration: 0 }),
    ),
  );
  cleanup.push(() => close(server));
  const call = (token: string) => request(server).get('/probe').set('Authorization', `Bearer ${token}`);
  return { idp, call };
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
