import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth } from '../src/index.js';
import { close, listen, probeApp } from './support/app.js';
import { dpopKey, makeProof, type DpopKey } from './support/dpop.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

// RFC 9449 §4.3: the server's nonce (check 10) before the key binding (check 12).
describe('a proof by another key than the token is bound to, at an API that hands out nonces', () => {
  let issuer: TestIssuer;
  let server: Server;
  let htu: string;
  let token: string;
  let other: DpopKey;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const dpop = { mode: 'required' as const, nonceSecret: 'n'.repeat(32), nonceStep: 86_400 };
    server = await listen(
      probeApp(express, requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {}, dpop })),
    );
    htu = `http://127.0.0.1:${(server.address() as AddressInfo).port}/probe`;
    token = await issuer.sign({ cnf: { jkt: (await dpopKey()).jkt } });
    other = await dpopKey();
  });
  afterAll(async () => {
    await close(server);
    await issuer.close();
  });

  const send = (proof: string) =>
    request(server).get('/probe').set('Authorization', `DPoP ${token}`).set('DPoP', proof);

  it('is asked for the nonce first, then refused for its key', async () => {
    const challenge = await send(await makeProof(other, { htu, accessToken: token }));
    expect(challenge.status).toBe(401);
    expect(challenge.body.error).toBe('use_dpop_nonce');
    const nonce = challenge.headers['dpop-nonce'] as string;
    const refused = await send(await makeProof(other, { htu, accessToken: token, nonce }));
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: 'invalid_token', error_description: 'Invalid DPoP key binding' });
  });
});
