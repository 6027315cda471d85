import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, signIn } from '../src/index.js';
import {
  ALICE,
  APP_ORIGIN,
  REDIRECT_URI,
  authorizeUrl,
  devIdpForFile,
  pkcePair,
  signInForTokens,
} from './support.js';

const started = devIdpForFile({ redirectUris: [REDIRECT_URI], corsOrigins: [APP_ORIGIN] });

function userinfo(token: string, origin?: string) {
  return fetch(started.discovery.userinfo_endpoint, {
    headers: { authorization: `Bearer ${token}`, ...(origin === undefined ? {} : { origin }) },
  });
}

describe('userinfo with an access token for the API', () => {
  it('answers the profile when openid was asked for, as Auth0 does', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE);
    const response = await userinfo(body.access_token!, APP_ORIGIN);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(await response.json()).toEqual({
      sub: 'alice',
      email: 'alice@example.com',
      email_verified: true,
      name: 'Alice Example',
    });
  });

  it('releases only the claims of the scopes granted', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE, { scope: 'openid read:appointments' });
    expect(await (await userinfo(body.access_token!)).json()).toEqual({ sub: 'alice' });
  });

  it('refuses an API token issued without openid, and a tampered one', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE, { scope: 'read:appointments' });
    expect((await userinfo(body.access_token ?? 'x.y.z')).status).toBe(401);
    const good = await signInForTokens(started.discovery, ALICE);
    expect((await userinfo(`${good.body.access_token!}x`)).status).toBe(401);
  });

  it('stops answering once the grant is revoked', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE);
    await fetch(started.discovery.revocation_endpoint, {
      method: 'POST',
      body: new URLSearchParams({ client_id: 'grantflow-demo', token: body.refresh_token! }),
    });
    expect((await userinfo(body.access_token!)).status).toBe(401);
  });
});

describe('userinfo with a DPoP-bound API token', () => {
  it('is refused as a Bearer token (RFC 9449 §7.1)', async () => {
    const key = await generateKeyPair('ES256');
    const { verifier, challenge } = pkcePair();
    const redirect = await signIn(authorizeUrl(started.discovery, challenge), ALICE);
    const htu = started.discovery.token_endpoint;
    const proof = await new SignJWT({ htm: 'POST', htu, jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(key.publicKey) })
      .setIssuedAt()
      .sign(key.privateKey);
    const response = await fetch(htu, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: proof },
      body: new URLSearchParams({
        client_id: DEFAULT_CLIENT_ID,
        grant_type: 'authorization_code',
        code: redirect.searchParams.get('code') ?? '',
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
      }),
    });
    const { access_token, token_type } = (await response.json()) as {
      access_token: string;
      token_type: string;
    };
    expect(token_type).toBe('DPoP');
    expect((await userinfo(access_token)).status).toBe(401);
  });
});
