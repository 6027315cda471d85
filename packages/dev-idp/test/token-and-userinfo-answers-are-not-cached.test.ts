import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, signIn } from '../src/index.js';
import { ALICE, REDIRECT_URI, authorizeUrl, devIdpForFile, pkcePair, signInForTokens } from './support.js';

const started = devIdpForFile({ redirectUris: [REDIRECT_URI] });

function tokenEndpoint(params: Record<string, string>): Promise<Response> {
  return fetch(started.discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, ...params }),
  });
}

function userinfo(token: string): Promise<Response> {
  return fetch(started.discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${token}` } });
}

/** RFC 6749 §5.1: `Cache-Control: no-store` and `Pragma: no-cache`. */
async function expectNotCached(response: Response, status: number): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('pragma')).toBe('no-cache');
  await response.body?.cancel();
}

describe('token endpoint answers (RFC 6749 §5.1, §5.2)', () => {
  it('carries no-store and no-cache on the code exchange and the refresh', async () => {
    const { verifier, challenge } = pkcePair();
    const redirect = await signIn(authorizeUrl(started.discovery, challenge), ALICE);
    const issued = await tokenEndpoint({
      grant_type: 'authorization_code',
      code: redirect.searchParams.get('code') ?? '',
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
    });
    const { refresh_token } = (await issued.clone().json()) as { refresh_token: string };
    await expectNotCached(issued, 200);
    await expectNotCached(await tokenEndpoint({ grant_type: 'refresh_token', refresh_token }), 200);
  });

  it('carries them on error answers too', async () => {
    await expectNotCached(
      await tokenEndpoint({ grant_type: 'refresh_token', refresh_token: 'unknown' }),
      400,
    );
    await expectNotCached(await tokenEndpoint({ grant_type: 'password' }), 400);
  });
});

describe('userinfo answers (the user claims)', () => {
  it('carry no-store and no-cache for an API token, an opaque token and a refused one', async () => {
    const { body: api } = await signInForTokens(started.discovery, ALICE);
    await expectNotCached(await userinfo(api.access_token!), 200);
    const { body: opaque } = await signInForTokens(started.discovery, ALICE, { audience: undefined });
    await expectNotCached(await userinfo(opaque.access_token!), 200);
    await expectNotCached(await userinfo('not-a-token'), 401);
  });
});
