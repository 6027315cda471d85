import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { requireAuth } from '../src/index.js';
import { expectAnswer } from './support/answers.js';
import { close, listen, probeApp } from './support/app.js';
import { AUDIENCE, startTestIssuer } from './support/issuer.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function serve(issuerBaseURL: string) {
  const server = await listen(
    probeApp(express, requireAuth({ issuerBaseURL, audience: AUDIENCE, cache: false, env: {} })),
  );
  cleanup.push(() => close(server));
  return (token: string) => request(server).get('/probe').set('Authorization', `Bearer ${token}`);
}

describe('discovery of an issuer whose path ends in /', () => {
  it('finds RFC 8414 metadata at /.well-known/oauth-authorization-server/<path without the final />', async () => {
    const idp = await startTestIssuer({ path: '/tenant/', wellKnown: 'oauth' });
    cleanup.push(() => idp.close());
    const call = await serve(idp.issuer);
    expect(idp.issuer).toMatch(/\/tenant\/$/);
    expect((await call(await idp.sign())).status).toBe(200);
  });

  it('still compares iss exactly with the issuer the metadata names', async () => {
    const idp = await startTestIssuer({ path: '/tenant/', wellKnown: 'oauth' });
    cleanup.push(() => idp.close());
    const call = await serve(idp.issuer);
    const withoutSlash = await idp.sign({ iss: idp.issuer.slice(0, -1) });
    expectAnswer(await call(withoutSlash), 401, 'invalid_token', 'Unexpected token issuer');
  });

  it('finds OpenID metadata of such an issuer at <issuer>.well-known/openid-configuration', async () => {
    const idp = await startTestIssuer({ path: '/tenant/' });
    cleanup.push(() => idp.close());
    const call = await serve(idp.issuer);
    expect((await call(await idp.sign())).status).toBe(200);
    expect(idp.discoveryHits).toBe(1);
  });
});
