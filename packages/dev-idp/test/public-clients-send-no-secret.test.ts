import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID } from '../src/index.js';
import {
  ALICE,
  APP_ORIGIN,
  authorizeUrl,
  devIdpForFile,
  pkcePair,
  REDIRECT_URI,
  signInForTokens,
  tokenRequest,
  type Discovery,
} from './support.js';

const started = devIdpForFile({ redirectUris: [REDIRECT_URI], corsOrigins: [APP_ORIGIN] });

function post(url: string, params: Record<string, string>) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: APP_ORIGIN },
    body: new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, ...params }),
  });
}

async function expectInvalidClient(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
  expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
}

const refresh = (discovery: Discovery, refreshToken: string) =>
  tokenRequest(discovery, { grant_type: 'refresh_token', refresh_token: refreshToken });

describe('a public client that sends client_secret in the body (RFC 6749 §2.3.1, §5.2)', () => {
  it('is refused with invalid_client at the token endpoint, and the refresh token stays good', async () => {
    const { discovery } = started;
    const { body } = await signInForTokens(discovery, ALICE);
    const params = { grant_type: 'refresh_token', refresh_token: body.refresh_token! };
    await expectInvalidClient(await post(discovery.token_endpoint, { ...params, client_secret: 'secret' }));
    expect((await refresh(discovery, body.refresh_token!)).status).toBe(200);
  });

  it('is refused with invalid_client at the revocation endpoint, which revokes nothing', async () => {
    const { discovery } = started;
    const { body } = await signInForTokens(discovery, ALICE);
    const params = { token: body.refresh_token!, token_type_hint: 'refresh_token', client_secret: 'secret' };
    await expectInvalidClient(await post(discovery.revocation_endpoint, params));
    expect((await refresh(discovery, body.refresh_token!)).status).toBe(200);
  });

  it('is refused with invalid_client at the pushed authorization request endpoint', async () => {
    const { discovery } = started;
    const params = Object.fromEntries(authorizeUrl(discovery, pkcePair().challenge).searchParams);
    const endpoint = (discovery as Discovery & { pushed_authorization_request_endpoint: string })
      .pushed_authorization_request_endpoint;
    await expectInvalidClient(await post(endpoint, { ...params, client_secret: 'secret' }));
    expect((await post(endpoint, params)).status).toBe(201);
  });

  it('takes an empty client_secret as none (§2.3.1: the parameter may be left out when empty)', async () => {
    const { discovery } = started;
    const { body } = await signInForTokens(discovery, ALICE);
    const params = { grant_type: 'refresh_token', refresh_token: body.refresh_token!, client_secret: '' };
    expect((await post(discovery.token_endpoint, params)).status).toBe(200);
  });
});
