import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueTokens, startDevIdp, type DevIdp } from '../src/index.js';
import { ALICE, REDIRECT_URI, discover, signInForTokens, tokenRequest } from './support.js';

/** A port free right now: the issuer must name the port before the IdP listens on it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

let idp: DevIdp;
let port: number;

beforeAll(async () => {
  port = await freePort();
  idp = await startDevIdp({
    port,
    quiet: true,
    issuer: `http://localhost:${port}/tenant`,
    redirectUris: [REDIRECT_URI],
  });
});
afterAll(async () => {
  await idp.close();
});

describe('an issuer with a path (ISSUER=http://localhost:PORT/tenant)', () => {
  it('serves discovery beneath the path, with every endpoint beneath it too', async () => {
    expect(idp.issuer).toBe(`http://localhost:${port}/tenant/`);
    const response = await fetch(new URL('.well-known/openid-configuration', idp.issuer));
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(idp.issuer);
    const endpoints = Object.entries(metadata).filter(([name]) => /_(endpoint|uri)$/.test(name));
    expect(endpoints.length).toBeGreaterThan(5);
    expect(endpoints.filter(([, url]) => !String(url).startsWith(idp.issuer))).toEqual([]);
    const keys = await fetch(String(metadata.jwks_uri));
    expect(keys.status).toBe(200);
  });

  it('answers nothing outside the path', async () => {
    const response = await fetch(`http://localhost:${port}/.well-known/openid-configuration`);
    expect(response.status).toBe(404);
  });

  it('signs in through its pages beneath the path, and refreshes', async () => {
    const discovery = await discover(idp.issuer);
    const { status, body } = await signInForTokens(discovery, ALICE);
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token!).iss).toBe(idp.issuer);
    const refreshed = await tokenRequest(discovery, {
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token!,
    });
    expect(refreshed.status).toBe(200);
  });

  it('answers userinfo for a DPoP-bound API token with a proof for its userinfo URL', async () => {
    const discovery = await discover(idp.issuer);
    const key = await generateKeyPair('ES256');
    const tokens = await issueTokens(idp.issuer, ALICE, { dpop: key });
    const proof = await new SignJWT({
      htm: 'GET',
      htu: discovery.userinfo_endpoint,
      jti: randomUUID(),
      ath: createHash('sha256').update(tokens.access_token).digest('base64url'),
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(key.publicKey) })
      .setIssuedAt()
      .sign(key.privateKey);
    const response = await fetch(discovery.userinfo_endpoint, {
      headers: { authorization: `DPoP ${tokens.access_token}`, dpop: proof },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: 'alice' });
  });
});
