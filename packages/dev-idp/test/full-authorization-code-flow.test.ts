import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIENCE, DEFAULT_CLIENT_ID, signIn } from '../src/index.js';
import {
  ALICE,
  APP_ORIGIN,
  BOB,
  REDIRECT_URI,
  authorizeUrl,
  devIdpForFile,
  exchangeCode,
  pkcePair,
  signInForTokens,
  tokenRequest,
} from './support.js';

const started = devIdpForFile({
  redirectUris: [REDIRECT_URI],
  corsOrigins: [APP_ORIGIN],
  accessTokenTtl: 60,
  refreshTokenTtl: 300,
});

async function signedInCode(credentials = ALICE, extra: Record<string, string | undefined> = {}) {
  const { verifier, challenge } = pkcePair();
  const request = authorizeUrl(started.discovery, challenge, extra);
  const redirect = await signIn(request, credentials);
  return { redirect, request, verifier, code: redirect.searchParams.get('code') ?? '' };
}

describe('authorization code flow with PKCE against the dev IdP', () => {
  it("publishes discovery for an issuer on localhost ending in a slash, as Auth0's issuers do", () => {
    expect(started.idp.issuer).toBe(`http://localhost:${started.idp.port}/`);
    expect(started.discovery.issuer).toBe(started.idp.issuer);
    expect(started.discovery.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('advertises the authorization code flow only, and refuses implicit and hybrid requests', async () => {
    const metadata = (await (
      await fetch(new URL('.well-known/openid-configuration', started.idp.issuer))
    ).json()) as { response_types_supported: string[]; grant_types_supported: string[] };
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.grant_types_supported).not.toContain('implicit');
    for (const responseType of ['id_token', 'code id_token', 'token']) {
      const { redirect } = await signedInCode(ALICE, { response_type: responseType });
      // These response types answer in the fragment by default (OAuth 2.0 Multiple Response Types).
      const answer = new URLSearchParams(redirect.hash.slice(1) || redirect.search);
      expect(answer.get('error')).toBe('unsupported_response_type');
    }
  });

  it('signs in, exchanges the code, verifies the API token, refreshes and refuses a rotated-out token', async () => {
    const { redirect, request, verifier, code } = await signedInCode();
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(code).not.toBe('');
    expect(redirect.searchParams.get('iss')).toBe(started.idp.issuer);
    expect(redirect.searchParams.get('state')).toBe(request.searchParams.get('state'));

    const { status, body } = await exchangeCode(started.discovery, code, verifier);
    expect(status).toBe(200);
    expect(body.token_type).toBe('Bearer');
    expect(body.id_token).toEqual(expect.any(String));
    expect(body.refresh_token).toEqual(expect.any(String));

    const jwks = createRemoteJWKSet(new URL(started.discovery.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(body.access_token ?? '', jwks, {
      issuer: started.idp.issuer,
      audience: DEFAULT_AUDIENCE,
      typ: 'at+jwt',
      algorithms: ['RS256'],
    });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({ sub: 'alice', client_id: DEFAULT_CLIENT_ID });
    expect(payload.scope).toBe('read:appointments write:appointments');
    expect(payload.permissions).toEqual(['read:appointments', 'write:appointments']);
    expect(payload.exp! - payload.iat!).toBe(60);

    const idToken = await jwtVerify(body.id_token ?? '', jwks, {
      issuer: started.idp.issuer,
      audience: DEFAULT_CLIENT_ID,
    });
    expect(idToken.payload).toMatchObject({
      sub: 'alice',
      email: 'alice@example.com',
      name: 'Alice Example',
      nonce: request.searchParams.get('nonce'),
    });

    const refreshed = await tokenRequest(started.discovery, {
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token ?? '',
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toEqual(expect.any(String));
    expect(refreshed.body.refresh_token).not.toBe(body.refresh_token);
    const refreshedToken = await jwtVerify(refreshed.body.access_token ?? '', jwks, {
      issuer: started.idp.issuer,
      audience: DEFAULT_AUDIENCE,
      typ: 'at+jwt',
    });
    expect(refreshedToken.payload.scope).toBe('read:appointments write:appointments');

    const reused = await tokenRequest(started.discovery, {
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token ?? '',
    });
    expect(reused.status).toBe(400);
    // Auth0's words: auth0-spa-js falls back to a hidden iframe (useRefreshTokensFallback) on them only.
    expect(reused.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Unknown or invalid refresh token.',
    });
    const madeUp = await tokenRequest(started.discovery, { grant_type: 'refresh_token', refresh_token: 'x' });
    expect(madeUp.body.error_description).toBe('Unknown or invalid refresh token.');
  });

  it('refuses a wrong code_verifier with invalid_grant', async () => {
    const { code } = await signedInCode();
    const { status, body } = await exchangeCode(started.discovery, code, pkcePair().verifier);
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });

  it('refuses a replayed code with invalid_grant', async () => {
    const { code, verifier } = await signedInCode();
    expect((await exchangeCode(started.discovery, code, verifier)).status).toBe(200);
    const replay = await exchangeCode(started.discovery, code, verifier);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect(replay.body.error_description).not.toMatch(/refresh token/);
  });

  it('refuses an authorization request without code_challenge with invalid_request', async () => {
    const { redirect } = await signedInCode(ALICE, {
      code_challenge: undefined,
      code_challenge_method: undefined,
    });
    expect(redirect.searchParams.get('error')).toBe('invalid_request');
    expect(redirect.searchParams.get('code')).toBeNull();
  });

  it('refuses code_challenge_method=plain', async () => {
    const { verifier } = pkcePair();
    const { redirect } = await signedInCode(ALICE, {
      code_challenge: verifier,
      code_challenge_method: 'plain',
    });
    expect(redirect.searchParams.get('error')).toBe('invalid_request');
  });

  it('grants a read-only user only read:appointments', async () => {
    const { body } = await signInForTokens(started.discovery, BOB);
    const claims = decodeJwt(body.access_token ?? '');
    expect(claims.sub).toBe('bob');
    expect(claims.scope).toBe('read:appointments');
    expect(claims.permissions).toEqual(['read:appointments']);
  });

  it('lists the OpenID scopes granted, never an empty scope, when no API scope was granted', async () => {
    const { body } = await signInForTokens(started.discovery, BOB, {
      scope: 'openid profile offline_access write:appointments',
    });
    expect(body.scope?.split(' ').sort()).toEqual(['offline_access', 'openid', 'profile']);
    expect(decodeJwt(body.access_token ?? '').scope).toBeUndefined();
    const refreshed = await tokenRequest(started.discovery, {
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token ?? '',
    });
    expect(refreshed.body.scope?.split(' ').sort()).toEqual(['offline_access', 'openid', 'profile']);
  });

  it('issues the API token for `resource` as for `audience`', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE, {
      audience: undefined,
      resource: DEFAULT_AUDIENCE,
    });
    const claims = decodeJwt(body.access_token ?? '');
    expect(claims.aud).toBe(DEFAULT_AUDIENCE);
    expect(claims.scope).toBe('read:appointments write:appointments');
  });

  it('answers CORS preflights on the token endpoint for configured origins only', async () => {
    const preflight = (origin: string) =>
      fetch(started.discovery.token_endpoint, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const allowed = await preflight(APP_ORIGIN);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    const other = await preflight('https://evil.example.test');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses token requests from other browser origins', async () => {
    const { code, verifier } = await signedInCode();
    const request = (origin: string) =>
      fetch(started.discovery.token_endpoint, {
        method: 'POST',
        headers: { origin },
        body: new URLSearchParams({
          client_id: DEFAULT_CLIENT_ID,
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: REDIRECT_URI,
        }),
      });
    const refused = await request('https://evil.example.test');
    expect(refused.status).toBe(400);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await request(APP_ORIGIN);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
  });
});
