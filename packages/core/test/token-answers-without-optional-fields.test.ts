import { describe, expect, it } from 'vitest';
import { processTokenResponse } from '../src/token-endpoint.js';
import { OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const TOKEN_URL = 'https://idp.example/token';

/** A signed-in session whose default token has expired, with a refresh token, and what it was granted. */
const expiredSession = (scope: string) => ({
  claims: {},
  refresh_tokens: { '': 'rt-1' },
  tokens: { [OFFLINE_TOKEN_KEY]: { access_token: 'old', expires_at: OFFLINE_NOW - 1, scope } },
});

/** A token endpoint answering each request with the next body. */
function tokenEndpoint(...bodies: Record<string, unknown>[]) {
  return async (url: string) => {
    if (url !== TOKEN_URL) throw new TypeError(`unexpected request to ${url}`);
    const body = bodies.shift();
    if (!body) throw new TypeError('no more token requests expected');
    return Response.json(body);
  };
}

describe('a token answer without scope (RFC 6749 §5.1: then it is the scope asked for)', () => {
  it('keeps, after a refresh, the scope the token was granted before (§6)', async () => {
    const { client, requests } = offlineClient(
      expiredSession('openid profile email read:items'),
      tokenEndpoint({ access_token: 'new', token_type: 'Bearer', expires_in: 300, refresh_token: 'rt-2' }),
    );
    expect(await client.getAccessToken()).toBe('new');
    expect(requests).toEqual([TOKEN_URL]);
    expect(client.getSnapshot().scope).toBe('openid profile email read:items');
    const detailed = await client.getAccessToken({ detailedResponse: true });
    expect(detailed).toMatchObject({ access_token: 'new', scope: 'openid profile email read:items' });
    client.destroy();
  });

  it('records the scope asked for when nothing was granted before under that key', async () => {
    const { client } = offlineClient(
      { claims: {}, refresh_tokens: { '': 'rt-1' } },
      tokenEndpoint({ access_token: 'new', token_type: 'Bearer', expires_in: 300 }),
    );
    await client.getAccessToken();
    const detailed = await client.getAccessToken({ detailedResponse: true });
    expect(detailed.scope).toBe('openid profile email');
    client.destroy();
  });
});

describe('a token answer without expires_in (only recommended, RFC 6749 §5.1)', () => {
  it('serves the token until the server says otherwise, spending no refresh token on each call', async () => {
    const { client, requests } = offlineClient(
      expiredSession('openid'),
      tokenEndpoint({ access_token: 'new', token_type: 'Bearer', refresh_token: 'rt-2' }),
    );
    await client.checkSession();
    expect(await client.getAccessToken()).toBe('new');
    expect(await client.getAccessToken()).toBe('new');
    expect(requests).toEqual([TOKEN_URL]);
    expect(client.getSnapshot()).toMatchObject({ isAuthenticated: true, accessTokenExpiresAt: undefined });
    const detailed = await client.getAccessToken({ detailedResponse: true });
    expect(detailed.expires_in).toBeUndefined();
    client.destroy();
  });

  it('reads an empty expires_in as absent, like the other fields', () => {
    const answer = { access_token: 'at', token_type: 'Bearer', expires_in: '' };
    expect(processTokenResponse(200, answer).expires_in).toBeUndefined();
  });
});
