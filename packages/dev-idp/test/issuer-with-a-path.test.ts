import { createHash, randomUUID } from 'node:crypto';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { discover as coreDiscover } from '@grantflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackFront, type LoopbackFront } from '../../../scripts/loopback-front.js';
import { issueTokens, startDevIdp, type DevIdp } from '../src/index.js';
import { ALICE, REDIRECT_URI, discover, signInForTokens, tokenRequest } from './support.js';

/** The configured issuer's discovery URL (OIDC Discovery §4: a terminating `/` is dropped first). */
const discoveryUrl = (issuer: string) => `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;

describe.each([
  ['without a trailing slash', '/tenant'],
  ['with a trailing slash', '/tenant/'],
])('an issuer with a path, %s (ISSUER=http://localhost:PORT/tenant…)', (_name, path) => {
  let idp: DevIdp;
  let front: LoopbackFront;
  let port: number;
  let configured: string;

  beforeAll(async () => {
    // The issuer names the port before the IdP listens: a port held from the start, not one found free
    // and released, which another test's server could take meanwhile.
    front = await loopbackFront();
    port = front.port;
    configured = `http://localhost:${port}${path}`;
    idp = await startDevIdp({ port: 0, quiet: true, issuer: configured, redirectUris: [REDIRECT_URI] });
    front.route(idp.port);
  });
  afterAll(async () => {
    await idp.close();
    await front.close();
  });

  it('is served exactly as configured: the slash after a path is part of the issuer', async () => {
    expect(idp.issuer).toBe(configured);
    const response = await fetch(discoveryUrl(configured));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { issuer: string }).issuer).toBe(configured);
  });

  it("is found by @grantflow/core's discover() with exactly the configured string", async () => {
    const metadata = await coreDiscover(configured);
    expect(metadata.issuer).toBe(configured);
    expect(metadata.token_endpoint).toBe(`http://localhost:${port}/tenant/oauth/token`);
  });

  it('serves discovery beneath the path, with every endpoint beneath it too', async () => {
    const response = await fetch(discoveryUrl(idp.issuer));
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, unknown>;
    const endpoints = Object.entries(metadata).filter(([name]) => /_(endpoint|uri)$/.test(name));
    expect(endpoints.length).toBeGreaterThan(5);
    const beneath = `http://localhost:${port}/tenant/`;
    expect(endpoints.filter(([, url]) => !String(url).startsWith(beneath))).toEqual([]);
    const keys = await fetch(String(metadata.jwks_uri));
    expect(keys.status).toBe(200);
  });

  it('answers nothing outside the path', async () => {
    const response = await fetch(`http://localhost:${port}/.well-known/openid-configuration`);
    expect(response.status).toBe(404);
    const sibling = await fetch(`http://localhost:${port}/tenant2/.well-known/openid-configuration`);
    expect(sibling.status).toBe(404);
  });

  it('signs in through its pages beneath the path, and refreshes', async () => {
    const discovery = await discover(idp.issuer.replace(/\/$/, ''));
    const { status, body } = await signInForTokens(discovery, ALICE);
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token!).iss).toBe(configured);
    expect(decodeJwt(body.id_token!).iss).toBe(configured);
    const refreshed = await tokenRequest(discovery, {
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token!,
    });
    expect(refreshed.status).toBe(200);
  });

  it('answers userinfo for a DPoP-bound API token with a proof for its userinfo URL', async () => {
    const discovery = await discover(idp.issuer.replace(/\/$/, ''));
    const key = await generateKeyPair('ES256');
    const tokens = await issueTokens(idp.issuer, ALICE, { dpop: key });
    expect(decodeJwt(tokens.access_token).iss).toBe(configured);
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
