import { describe, expect, it } from 'vitest';
import { OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const noRequest = () => Promise.reject(new TypeError('no request expected'));
const fresh = (access_token: string, scope: string) => ({
  access_token,
  expires_at: OFFLINE_NOW + 300_000,
  scope,
});

/** The token a signed-in client with these cached `tokens` (and no refresh token) serves for `scope`. */
async function servedFrom(tokens: object, scope: string) {
  const { client } = offlineClient({ claims: {}, tokens }, noRequest);
  try {
    return await client.getAccessToken({ scope });
  } finally {
    client.destroy();
  }
}

describe('a cached token whose scopes include those asked for (as Auth0 SDK caches match)', () => {
  it('serves the default call after a login that asked for more, and shows in the snapshot', async () => {
    const wider = ' email openid profile read:items';
    const { client, requests } = offlineClient(
      { claims: {}, tokens: { [wider]: fresh('wide', 'openid profile email read:items') } },
      noRequest,
    );
    await client.checkSession();
    expect(client.getSnapshot()).toMatchObject({
      isAuthenticated: true,
      accessTokenExpiresAt: OFFLINE_NOW + 300_000,
      scope: 'openid profile email read:items',
    });
    expect(await client.getAccessToken()).toBe('wide');
    expect(await client.getAccessToken({ scope: 'read:items' })).toBe('wide');
    expect(requests).toEqual([]);
    client.destroy();
  });

  it('prefers the exact entry, and never serves another audience or fewer scopes', async () => {
    const { client } = offlineClient(
      {
        claims: {},
        tokens: {
          'https://other email openid profile read:items write:items': fresh(
            'other-api',
            'read:items write:items',
          ),
          ' email openid profile read:items': fresh('wide', 'read:items'),
          [OFFLINE_TOKEN_KEY]: fresh('exact', 'openid'),
        },
      },
      noRequest,
    );
    expect(await client.getAccessToken()).toBe('exact');
    await expect(client.getAccessToken({ scope: 'write:items' })).rejects.toMatchObject({
      code: 'missing_refresh_token',
    });
    expect(await client.getAccessToken({ audience: 'https://other', scope: 'write:items' })).toBe(
      'other-api',
    );
    client.destroy();
  });

  it('matches whole audiences and whole scope names, not their characters', async () => {
    const { client } = offlineClient(
      {
        claims: {},
        tokens: {
          'https://api-b email openid profile read': fresh('api-b', 'read'),
          'https://api-a email openid profile daer': fresh('anagram', 'daer'),
        },
      },
      noRequest,
    );
    for (const attempt of [
      client.getAccessToken({ audience: 'https://api-a', scope: 'read' }),
      client.getAccessToken({ audience: 'https://api-c', scope: 'read' }),
    ]) {
      await expect(attempt).rejects.toMatchObject({ code: 'missing_refresh_token' });
    }
    client.destroy();
  });

  it('shows in the snapshot the fresh compatible token that serves, not a stale exact one', async () => {
    const { client, requests } = offlineClient(
      {
        claims: {},
        tokens: {
          [OFFLINE_TOKEN_KEY]: { ...fresh('stale', 'openid'), expires_at: OFFLINE_NOW },
          ' email openid profile read:items': fresh('wide', 'openid read:items'),
        },
      },
      noRequest,
    );
    await client.checkSession();
    expect(client.getSnapshot()).toMatchObject({
      accessTokenExpiresAt: OFFLINE_NOW + 300_000,
      scope: 'openid read:items',
    });
    expect(await client.getAccessToken()).toBe('wide');
    expect(requests).toEqual([]);
    client.destroy();
  });

  it('passes over a token granted fewer scopes than its login asked for (RFC 6749 §3.3)', async () => {
    const { client } = offlineClient(
      {
        claims: {},
        tokens: {
          ' email openid profile read:items write:items': fresh(
            'narrowed',
            'openid profile email read:items',
          ),
        },
      },
      noRequest,
    );
    await expect(client.getAccessToken({ scope: 'write:items' })).rejects.toMatchObject({
      code: 'missing_refresh_token',
    });
    // What it was granted it serves, OpenID scopes left out of the grant or not.
    expect(await client.getAccessToken({ scope: 'read:items' })).toBe('narrowed');
    client.destroy();
  });

  it('takes a token whose answer named no scope as granted every scope its login asked for (RFC 6749 §5.1)', async () => {
    const asAsked = { ...fresh('as-asked', ''), scope: undefined };
    const tokens = { ' email openid profile read:items write:items': asAsked };
    expect(await servedFrom(tokens, 'write:items')).toBe('as-asked');
  });

  it('serves a token whose grant leaves out the OpenID scopes address and phone', async () => {
    const tokens = { ' address email openid phone profile read:items': fresh('claims', 'read:items') };
    expect(await servedFrom(tokens, 'address phone')).toBe('claims');
  });

  it('passes over a compatible token that is no longer fresh', async () => {
    const { client } = offlineClient(
      {
        claims: {},
        tokens: {
          ' email openid profile read:items': { ...fresh('stale', 'read:items'), expires_at: OFFLINE_NOW },
          ' email openid profile write:items': fresh('fresh', 'write:items'),
        },
      },
      noRequest,
    );
    expect(await client.getAccessToken()).toBe('fresh');
    client.destroy();
  });
});

describe("Auth0's option shape: audience and scope inside authorizationParams", () => {
  it('makes them the defaults the tokens are looked up and shown for', async () => {
    const key = 'https://api email openid read:items';
    const { client, requests } = offlineClient(
      { claims: {}, tokens: { [key]: fresh('api', 'read:items') } },
      noRequest,
      {
        authorizationParams: { audience: 'https://api', scope: 'openid email read:items' },
      },
    );
    await client.checkSession();
    expect(client.getSnapshot()).toMatchObject({
      accessTokenExpiresAt: OFFLINE_NOW + 300_000,
      scope: 'read:items',
    });
    expect(await client.getAccessToken()).toBe('api');
    const url = new URL(await client.buildAuthorizeUrl());
    expect(url.searchParams.get('audience')).toBe('https://api');
    expect(url.searchParams.get('scope')).toBe('openid email read:items');
    expect(requests).toEqual([]);
    client.destroy();
  });

  it('lets the top-level options win over them', async () => {
    const { client } = offlineClient({ claims: {} }, noRequest, {
      audience: 'https://top',
      scope: 'openid',
      authorizationParams: { audience: 'https://inner', scope: 'read:items' },
    });
    const url = new URL(await client.buildAuthorizeUrl());
    expect(url.searchParams.get('audience')).toBe('https://top');
    // The login still asks for what authorizationParams adds; its token then also serves the default call.
    expect(url.searchParams.get('scope')).toBe('openid read:items');
    client.destroy();
  });
});
