import { describe, expect, it } from 'vitest';
import { createAuthClient } from '../src/client.js';
import type { FetchLike } from '../src/http.js';

const base = { clientId: 'app', redirectUri: 'https://app.example/callback', crossTabSync: false };

describe('createAuthClient options', () => {
  it('refuses missing or malformed required options with a TypeError', () => {
    expect(() => createAuthClient({ ...base, clientId: '', issuer: 'https://idp.example' })).toThrow(
      TypeError,
    );
    expect(() => createAuthClient({ ...base, issuer: undefined })).toThrow(TypeError);
    expect(() => createAuthClient({ ...base, issuer: 'idp.example' })).toThrow(TypeError);
    expect(() =>
      createAuthClient({ ...base, redirectUri: '/callback', issuer: 'https://idp.example' }),
    ).toThrow(TypeError);
    expect(() =>
      createAuthClient({ ...base, redirectUri: 'https://app.example/#/cb', issuer: 'https://idp.example' }),
    ).toThrow(TypeError);
    expect(() =>
      createAuthClient({ ...base, issuer: 'https://idp.example', storage: 'cookies' as never }),
    ).toThrow(TypeError);
  });

  it('says which required option is missing or malformed', () => {
    const issuer = 'https://idp.example';
    const refusal = (options: Record<string, unknown>) => () =>
      createAuthClient({ ...base, issuer, ...options } as never);
    expect(refusal({ clientId: '' })).toThrow(new TypeError('clientId is required'));
    expect(refusal({ clientId: 42 })).toThrow(new TypeError('clientId is required'));
    expect(refusal({ redirectUri: '/callback' })).toThrow(
      new TypeError('redirectUri must be an absolute URL'),
    );
    expect(refusal({ redirectUri: undefined })).toThrow(new TypeError('redirectUri is required'));
    expect(refusal({ redirectUri: undefined, authorizationParams: { redirect_uri: '/callback' } })).toThrow(
      new TypeError('redirectUri must be an absolute URL'),
    );
    expect(refusal({ issuer: undefined })).toThrow(new TypeError('issuer or domain is required'));
    expect(refusal({ issuer: '' })).toThrow(new TypeError('issuer or domain is required'));
    expect(refusal({ issuer: 'idp.example' })).toThrow(new TypeError('issuer must be an absolute URL'));
  });

  it("takes the redirect URI as Auth0's SDK does, in authorizationParams.redirect_uri; a top-level one wins", async () => {
    const endpoints = { authorization: 'https://idp.example/authorize', token: 'https://idp.example/token' };
    const redirectOf = async (options: Record<string, unknown>) => {
      const navigations: string[] = [];
      const client = createAuthClient({
        clientId: 'app',
        issuer: 'https://idp.example',
        endpoints,
        navigate: (url: string) => void navigations.push(url),
        ...options,
      } as never);
      await client.loginWithRedirect();
      const sent = new URL(navigations[0]!).searchParams.get('redirect_uri');
      const recognised = client.isCallbackUrl(`${sent}?code=c&state=s`);
      client.destroy();
      return { sent, recognised };
    };
    expect(await redirectOf({ authorizationParams: { redirect_uri: 'https://app.example/cb' } })).toEqual({
      sent: 'https://app.example/cb',
      recognised: true,
    });
    expect(
      await redirectOf({
        redirectUri: 'https://app.example/top',
        authorizationParams: { redirect_uri: 'https://app.example/cb' },
      }),
    ).toEqual({ sent: 'https://app.example/top', recognised: true });
  });

  it('uses explicit endpoints without discovery, and Auth0 /v2/logout for a domain', async () => {
    const requested: string[] = [];
    const fetch: FetchLike = async (url) => {
      requested.push(url);
      return new Response('{}', { status: 404 });
    };
    const navigations: string[] = [];
    const client = createAuthClient({
      ...base,
      domain: 'tenant.auth0.com',
      endpoints: {
        authorization: 'https://tenant.auth0.com/authorize',
        token: 'https://tenant.auth0.com/oauth/token',
      },
      useRefreshTokens: true,
      fetch,
      navigate: (url) => void navigations.push(url),
    });
    await client.loginWithRedirect({ authorizationParams: { organization: 'org_1' } });
    const authorize = new URL(navigations[0]!);
    expect(authorize.origin + authorize.pathname).toBe('https://tenant.auth0.com/authorize');
    expect(authorize.searchParams.get('scope')).toBe('openid profile email offline_access');
    expect(authorize.searchParams.get('organization')).toBe('org_1');
    await client.logout({ returnTo: 'https://app.example/' });
    expect(navigations[1]).toBe(
      'https://tenant.auth0.com/v2/logout?returnTo=https%3A%2F%2Fapp.example%2F&client_id=app',
    );
    await client.logout({ federated: true });
    expect(navigations[2]).toBe('https://tenant.auth0.com/v2/logout?client_id=app&federated');
    expect(requested).toEqual([]);
    client.destroy();
  });

  it("navigates with the page's location by default, and needs navigate where there is none", async () => {
    const endpoints = { authorization: 'https://idp.example/authorize', token: 'https://idp.example/token' };
    const assigned: string[] = [];
    const inPage = createAuthClient({
      ...base,
      issuer: 'https://idp.example',
      endpoints,
      environment: {
        location: { href: 'https://app.example/', assign: (url) => void assigned.push(String(url)) },
      },
    });
    await inPage.loginWithRedirect();
    expect(assigned).toHaveLength(1);
    expect(new URL(assigned[0]!).pathname).toBe('/authorize');
    inPage.destroy();
    const headless = createAuthClient({
      ...base,
      issuer: 'https://idp.example',
      endpoints,
      environment: { location: undefined },
    });
    const attempt = headless.loginWithRedirect();
    await expect(attempt).rejects.toBeInstanceOf(TypeError);
    await expect(attempt).rejects.toThrow('navigate is required where there is no location');
    headless.destroy();
  });

  it('without the renewal module: onRenewal hears nothing, and its unsubscribe does nothing', () => {
    const client = createAuthClient({ ...base, issuer: 'https://idp.example' });
    const unsubscribe = client.onRenewal(() => undefined);
    expect(unsubscribe).toBeInstanceOf(Function);
    expect(unsubscribe()).toBeUndefined();
    client.destroy();
  });

  it('can turn the Auth0 logout fallback off, ending only the local session', async () => {
    const navigations: string[] = [];
    const client = createAuthClient({
      ...base,
      domain: 'tenant.auth0.com',
      endpoints: {
        authorization: 'https://tenant.auth0.com/authorize',
        token: 'https://tenant.auth0.com/oauth/token',
      },
      auth0Logout: false,
      navigate: (url) => void navigations.push(url),
    });
    await client.logout();
    expect(navigations).toEqual([]);
    expect(client.getSnapshot().status).toBe('unauthenticated');
    client.destroy();
  });

  it('builds an authorize URL and keeps a transaction for it, with appState', async () => {
    const client = createAuthClient({
      ...base,
      issuer: 'https://idp.example',
      endpoints: { authorization: 'https://idp.example/authorize', token: 'https://idp.example/token' },
    });
    const url = new URL(await client.buildAuthorizeUrl({ appState: { to: '/x' } }));
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(
      client.isCallbackUrl(`https://app.example/callback?code=c&state=${url.searchParams.get('state')}`),
    ).toBe(true);
    expect(client.getSnapshot().status).toBe('unauthenticated');
    client.destroy();
  });
});
