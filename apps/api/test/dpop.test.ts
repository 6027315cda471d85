import { randomUUID, createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthClient, createAuthFetch } from '@grantflow/core';
import { dpop } from '@grantflow/core/dpop';
import {
  DEFAULT_AUDIENCE,
  DEMO_USERS,
  issueTokens,
  signIn,
  startDevIdp,
  type DevIdp,
} from '@grantflow/dev-idp';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import type { DpopConfig } from '../src/config.js';

const APP_ORIGIN = 'http://app.test';
const REDIRECT_URI = 'http://localhost:5998/callback';
const alice = DEMO_USERS[0]!;

describe('the API with DPoP-bound tokens from the dev IdP', () => {
  let idp: DevIdp;
  let key: Awaited<ReturnType<typeof generateKeyPair>>;
  let token: string;
  const servers: Server[] = [];

  async function start(dpop: DpopConfig): Promise<Server> {
    const app = createApp({
      issuerBaseURL: idp.issuer,
      audience: DEFAULT_AUDIENCE,
      corsOrigins: [APP_ORIGIN],
      dpop,
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push(server);
    return server;
  }

  const proof = async (server: Server, nonce?: string) =>
    new SignJWT({
      htm: 'GET',
      htu: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/appointments`,
      jti: randomUUID(),
      ath: createHash('sha256').update(token).digest('base64url'),
      ...(nonce ? { nonce } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(key.publicKey) })
      .setIssuedAt()
      .sign(key.privateKey);

  beforeAll(async () => {
    idp = await startDevIdp({ port: 0, quiet: true });
    key = await generateKeyPair('ES256');
    const tokens = await issueTokens(idp.issuer, alice, { dpop: key });
    expect(tokens.token_type).toBe('DPoP');
    token = tokens.access_token;
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await idp.close();
  });

  it('accepts the token with its proof, and refuses it as Bearer in every mode', async () => {
    for (const mode of ['allowed', 'required'] as const) {
      const server = await start({ mode });
      const ok = await request(server)
        .get('/api/appointments')
        .set('Authorization', `DPoP ${token}`)
        .set('DPoP', await proof(server));
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ appointments: [] });
    }
    for (const mode of ['off', 'allowed', 'required'] as const) {
      const server = await start({ mode });
      const stolen = await request(server).get('/api/appointments').set('Authorization', `Bearer ${token}`);
      expect(stolen.status).toBe(401);
    }
  });

  it('lets browsers send the DPoP header and read DPoP-Nonce and WWW-Authenticate', async () => {
    const server = await start({ mode: 'allowed', nonceSecret: 'n'.repeat(32) });
    const preflight = await request(server)
      .options('/api/appointments')
      .set('Origin', APP_ORIGIN)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization,dpop');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/\bDPoP\b/);

    const challenged = await request(server)
      .get('/api/appointments')
      .set('Origin', APP_ORIGIN)
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', await proof(server));
    expect(challenged.status).toBe(401);
    expect(challenged.body.error).toBe('use_dpop_nonce');
    expect(challenged.headers['access-control-expose-headers']).toBe(
      'WWW-Authenticate,DPoP-Nonce,Retry-After',
    );
    const nonce = challenged.headers['dpop-nonce'] as string;
    const ok = await request(server)
      .get('/api/appointments')
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', await proof(server, nonce));
    expect(ok.status).toBe(200);
  });
});

describe('a @grantflow/core client with the DPoP module, end to end (IdP and API both asking for nonces)', () => {
  it('signs in, calls the API through createAuthFetch, and the same token as Bearer is refused', async () => {
    const idp = await startDevIdp({ port: 0, quiet: true, dpopNonces: true, redirectUris: [REDIRECT_URI] });
    const app = createApp({
      issuerBaseURL: idp.issuer,
      audience: DEFAULT_AUDIENCE,
      corsOrigins: [],
      dpop: { mode: 'required', nonceSecret: 'm'.repeat(32) },
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const navigations: string[] = [];
      const client = createAuthClient({
        issuer: idp.issuer,
        clientId: 'grantflow-demo',
        redirectUri: REDIRECT_URI,
        audience: DEFAULT_AUDIENCE,
        scope: 'openid profile read:appointments',
        navigate: (url) => void navigations.push(url),
        proof: dpop(),
      });
      await client.loginWithRedirect();
      await client.handleRedirectCallback((await signIn(navigations[0]!, alice)).href);
      expect(client.getSnapshot().tokenType).toBe('DPoP');

      const seen: number[] = [];
      const authFetch = createAuthFetch(client, {
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          seen.push(response.status);
          return response;
        },
      });
      const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/appointments`;
      const first = await authFetch(api);
      expect(first.status).toBe(200);
      expect(seen).toEqual([401, 200]); // use_dpop_nonce, followed once
      expect((await authFetch(api)).status).toBe(200);
      expect(seen).toHaveLength(3); // the nonce is known now

      const stolen = await fetch(api, {
        headers: { Authorization: `Bearer ${await client.getAccessToken()}` },
      });
      expect(stolen.status).toBe(401);
      client.destroy();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await idp.close();
    }
  });
});
