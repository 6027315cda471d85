import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID } from '../src/index.js';
import { ALICE, APP_ORIGIN, devIdpForFile, REDIRECT_URI, signInForTokens, tokenRequest } from './support.js';

const started = devIdpForFile({ redirectUris: [REDIRECT_URI], corsOrigins: [APP_ORIGIN] });

/** oidc-client-ts 3.5's `revokeToken`: a form POST with `token_type_hint`, an Accept of JSON. */
function revoke(token: string, hint: 'access_token' | 'refresh_token') {
  return fetch(started.discovery.revocation_endpoint, {
    method: 'POST',
    headers: {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      origin: APP_ORIGIN,
    },
    body: new URLSearchParams({ token, token_type_hint: hint, client_id: DEFAULT_CLIENT_ID }),
  });
}

/** What oidc-client-ts accepts as success: a 2xx, no content type or JSON, a body empty or JSON. */
async function expectAcceptedByOidcClientTs(response: Response): Promise<void> {
  expect(response.status).toBe(200);
  expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
  const type = response.headers.get('content-type');
  if (type !== null) expect(type).toMatch(/^application\/json/);
  const body = await response.text();
  if (body !== '') expect(() => JSON.parse(body)).not.toThrow();
}

describe('revocation on sign-out, as oidc-client-ts (revokeTokensOnSignout) does it (RFC 7009 §2.2)', () => {
  it.each([
    ['a JWT access token for an API', {}],
    ['an opaque access token', { audience: undefined, scope: 'openid profile offline_access' }],
  ])('revokes %s, then the refresh token, which is refused afterwards', async (_kind, extra) => {
    const { body: tokens } = await signInForTokens(started.discovery, ALICE, extra);
    await expectAcceptedByOidcClientTs(await revoke(tokens.access_token!, 'access_token'));
    await expectAcceptedByOidcClientTs(await revoke(tokens.refresh_token!, 'refresh_token'));
    const refresh = await tokenRequest(started.discovery, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('answers 200 for a token it does not know, JWT or not (§2.2: invalid tokens cause no error)', async () => {
    await expectAcceptedByOidcClientTs(await revoke('unknown', 'refresh_token'));
    await expectAcceptedByOidcClientTs(await revoke('eyJhbGciOiJub25lIn0.e30.', 'access_token'));
  });

  it('still refuses a request without a token, and an unknown client', async () => {
    const noToken = await fetch(started.discovery.revocation_endpoint, {
      method: 'POST',
      body: new URLSearchParams({ client_id: DEFAULT_CLIENT_ID }),
    });
    expect(noToken.status).toBe(400);
    expect(((await noToken.json()) as { error: string }).error).toBe('invalid_request');
    const { body: tokens } = await signInForTokens(started.discovery, ALICE);
    const unknownClient = await fetch(started.discovery.revocation_endpoint, {
      method: 'POST',
      body: new URLSearchParams({ client_id: 'nobody', token: tokens.access_token! }),
    });
    expect(unknownClient.status).toBe(401);
    expect(((await unknownClient.json()) as { error: string }).error).toBe('invalid_client');
  });
});
