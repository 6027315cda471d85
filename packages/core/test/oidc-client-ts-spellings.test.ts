import { describe, expect, it } from 'vitest';
import type { AuthClientOptions } from '../src/index.js';
import { OFFLINE_ISSUER, offlineClient, offlineSignedIn } from './support.js';

const noRequest = () => Promise.reject(new Error('no request'));
const construct = (options: Record<string, unknown>) =>
  offlineClient({}, noRequest, options as Partial<AuthClientOptions>);

describe('oidc-client-ts options without a counterpart of that name fail at construction, naming ours', () => {
  it.each([
    ['userStore', { store: 'sessionStorage' }, /userStore .*storage/],
    ['automaticSilentRenew', true, /automaticSilentRenew .*renewal: automaticRenewal\(\)/],
    ['post_logout_redirect_uri', 'https://app.example/', /post_logout_redirect_uri .*postLogoutRedirectUri/],
    ['silent_redirect_uri', 'https://app.example/silent', /silent_redirect_uri .*silentRedirectUri/],
    ['extraQueryParams', { ui_locales: 'fr' }, /extraQueryParams .*authorizationParams/],
    ['loadUserInfo', true, /loadUserInfo .*getUserInfo\(\)/],
    ['response_mode', 'fragment', /response_mode .*answers come in the query/],
    ['revokeTokensOnSignout', true, /revokeTokensOnSignout .*revokeRefreshTokenOnLogout/],
    // Revocation is on by default here: `false` ignored would revoke what the app said not to.
    ['revokeTokensOnSignout', false, /revokeTokensOnSignout .*revokeRefreshTokenOnLogout/],
  ])('%s: %j', (name, value, message) => {
    expect(() => construct({ [name]: value })).toThrow(TypeError);
    expect(() => construct({ [name]: value })).toThrow(message);
  });

  it('accepts them turned off, empty, or saying what happens here anyway', () => {
    expect(() =>
      construct({
        automaticSilentRenew: false,
        loadUserInfo: false,
        extraQueryParams: {},
        response_mode: 'query',
      }),
    ).not.toThrow();
  });
});

describe('postLogoutRedirectUri: where logout returns when the call names no returnTo', () => {
  it('is the post_logout_redirect_uri at an end-session endpoint, and returnTo at /v2/logout', async () => {
    const oidc = await offlineSignedIn({}, { postLogoutRedirectUri: 'https://app.example/bye' });
    await oidc.client.logout();
    expect(new URL(oidc.navigations.at(-1)!).searchParams.get('post_logout_redirect_uri')).toBe(
      'https://app.example/bye',
    );

    const auth0 = await offlineSignedIn(
      {},
      { postLogoutRedirectUri: 'https://app.example/bye', auth0Logout: true },
    );
    await auth0.client.logout();
    expect(new URL(auth0.navigations.at(-1)!).searchParams.get('returnTo')).toBe('https://app.example/bye');
  });

  it('gives way to a returnTo the call names, either spelling', async () => {
    const { client, navigations } = await offlineSignedIn(
      {},
      { postLogoutRedirectUri: 'https://app.example/bye' },
    );
    await client.logout({ logoutParams: { returnTo: 'https://app.example/other' } });
    expect(new URL(navigations.at(-1)!).searchParams.get('post_logout_redirect_uri')).toBe(
      'https://app.example/other',
    );
  });
});

describe('several resources (RFC 8707 §2)', () => {
  it('are asked for at sign-in as the resource parameter repeated; the first is the API the code exchange names', async () => {
    const navigations: string[] = [];
    const exchanges: URLSearchParams[] = [];
    const { client } = offlineClient({}, noRequest, {
      scope: 'read:items',
      authorizationParams: { resource: ['https://a.example/', 'https://b.example/'] },
      navigate: (url) => void navigations.push(url),
      fetch: async (_url, init) => {
        exchanges.push(new URLSearchParams(init.body as URLSearchParams));
        return Response.json({ access_token: 'at', token_type: 'Bearer', expires_in: 600 });
      },
    });
    await client.loginWithRedirect();
    const authorize = new URL(navigations[0]!);
    expect(authorize.searchParams.getAll('resource')).toEqual(['https://a.example/', 'https://b.example/']);
    expect(authorize.searchParams.has('audience')).toBe(false);
    expect(authorize.origin).toBe(new URL(OFFLINE_ISSUER).origin);

    await client.handleRedirectCallback(
      `https://app.example/callback?code=c&state=${authorize.searchParams.get('state')}`,
    );
    expect(exchanges.map((body) => body.getAll('resource'))).toEqual([['https://a.example/']]);
  });
});
