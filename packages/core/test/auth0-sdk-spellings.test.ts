import { describe, expect, it } from 'vitest';
import type { AuthClientOptions } from '../src/index.js';
import { resolveOptions } from '../src/options.js';
import { memoryStorage } from '../src/storage.js';
import { OFFLINE_ISSUER, offlineClient, offlineSignedIn, webStorageOver } from './support.js';

const signedIn = (options: Partial<AuthClientOptions> = {}) => offlineSignedIn({}, options);

const query = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe("logout takes Auth0's SDK's logoutParams and openUrl", () => {
  it('logoutParams.returnTo and federated reach /v2/logout as Auth0 sends them', async () => {
    const { client, navigations } = await signedIn({ auth0Logout: true });
    await client.logout({ logoutParams: { returnTo: 'https://app.example/', federated: true } });
    const leaving = navigations.at(-1)!;
    expect(leaving).toBe(
      `${OFFLINE_ISSUER}v2/logout?returnTo=https%3A%2F%2Fapp.example%2F&client_id=app&federated`,
    );
  });

  it('logoutParams.returnTo is the post-logout redirect at an end-session endpoint; a top-level returnTo wins', async () => {
    const first = await signedIn();
    await first.client.logout({ logoutParams: { returnTo: 'https://app.example/bye' } });
    expect(query(first.navigations.at(-1)!).post_logout_redirect_uri).toBe('https://app.example/bye');

    const second = await signedIn();
    await second.client.logout({
      returnTo: 'https://app.example/',
      logoutParams: { returnTo: 'https://app.example/bye' },
    });
    expect(query(second.navigations.at(-1)!).post_logout_redirect_uri).toBe('https://app.example/');
  });

  it("adds the other logoutParams to the logout URL, never in place of the client's own parameters", async () => {
    const { client, navigations } = await signedIn();
    await client.logout({ logoutParams: { ui_locales: ['fr', 'en'], client_id: 'other', state: undefined } });
    expect(query(navigations.at(-1)!)).toEqual({ client_id: 'app', ui_locales: 'fr en' });
  });

  it('clientId: null sends no client_id (Auth0 then checks returnTo against the tenant), another sends that one', async () => {
    const first = await signedIn({ auth0Logout: true });
    await first.client.logout({ clientId: null, logoutParams: { returnTo: 'https://app.example/' } });
    expect(first.navigations.at(-1)).toBe(`${OFFLINE_ISSUER}v2/logout?returnTo=https%3A%2F%2Fapp.example%2F`);
    const second = await signedIn();
    await second.client.logout({ clientId: 'other' });
    expect(query(second.navigations.at(-1)!)).toEqual({ client_id: 'other' });
  });

  it("clientId: '' names the client's own, as Auth0's SDK reads it, at /v2/logout and at an end-session endpoint", async () => {
    const auth0 = await signedIn({ auth0Logout: true });
    await auth0.client.logout({ clientId: '' });
    expect(auth0.navigations.at(-1)).toBe(`${OFFLINE_ISSUER}v2/logout?client_id=app`);
    const oidc = await signedIn();
    await oidc.client.logout({ clientId: '' });
    expect(query(oidc.navigations.at(-1)!)).toEqual({ client_id: 'app' });
  });

  it.each([
    ['a number clientId', { clientId: 42 }, 'clientId must be a string or null'],
    ['an object clientId', { clientId: { id: 'app' } }, 'clientId must be a string or null'],
    ['a URL object returnTo', { returnTo: new URL('https://app.example/') }, 'returnTo must be a string'],
    ['a string openUrl', { openUrl: 'https://app.example/' }, 'openUrl must be false or a function'],
    ['an openUrl of true', { openUrl: true }, 'openUrl must be false or a function'],
    [
      'an object logout parameter',
      { logoutParams: { ui_locales: { fr: true } } },
      'logoutParams.ui_locales must be a string',
    ],
  ])(
    'refuses %s before ending anything: the session stays and nothing is visited',
    async (_, options, message) => {
      const { client, navigations } = await signedIn();
      const before = navigations.length;
      await expect(client.logout(options as never)).rejects.toThrow(new RegExp(`^${message}`));
      expect(client.getSnapshot().isAuthenticated).toBe(true);
      expect(navigations).toHaveLength(before);
    },
  );

  it("a null logout parameter is left out, as an undefined one; returnTo: null sends none, not the client's", async () => {
    const { client, navigations } = await signedIn({ postLogoutRedirectUri: 'https://app.example/bye' });
    await client.logout({ returnTo: null as never, logoutParams: { ui_locales: null, max_age: 'x' } });
    expect(query(navigations.at(-1)!)).toEqual({ client_id: 'app', max_age: 'x' });
  });

  it('openUrl: false ends the session here only, as localOnly does', async () => {
    const { client, navigations } = await signedIn();
    await client.logout({ openUrl: false });
    expect(navigations).toHaveLength(1);
    expect(client.getSnapshot().isAuthenticated).toBe(false);
  });

  it("openUrl as a function leaves with it instead of the client's navigate", async () => {
    const { client, navigations } = await signedIn();
    const opened: string[] = [];
    await client.logout({ returnTo: 'https://app.example/', openUrl: (url) => void opened.push(url) });
    expect(navigations).toHaveLength(1);
    expect(opened).toEqual([
      `${OFFLINE_ISSUER}session/end?post_logout_redirect_uri=https%3A%2F%2Fapp.example%2F&client_id=app`,
    ]);
  });
});

describe("loginWithRedirect takes Auth0's SDK's openUrl", () => {
  it('refuses an openUrl that is not a function before saving a transaction or leaving', async () => {
    const navigations: string[] = [];
    const saved: string[] = [];
    const { client } = offlineClient({}, () => Promise.reject(new Error('no request')), {
      navigate: (url) => void navigations.push(url),
      transactionStorage: { get: () => null, set: (key) => void saved.push(key), remove: () => undefined },
    });
    await expect(client.loginWithRedirect({ openUrl: 'https://app.example/' as never })).rejects.toThrow(
      new TypeError('openUrl must be a function'),
    );
    expect(saved).toEqual([]);
    expect(navigations).toEqual([]);
    expect(client.getSnapshot().status).not.toBe('error');
  });

  it("leaves for the authorization URL with it instead of the client's navigate", async () => {
    const navigations: string[] = [];
    const opened: string[] = [];
    const { client } = offlineClient({}, () => Promise.reject(new Error('no request')), {
      navigate: (url) => void navigations.push(url),
    });
    await client.loginWithRedirect({ openUrl: (url) => void opened.push(url) });
    expect(navigations).toEqual([]);
    expect(opened).toHaveLength(1);
    expect(new URL(opened[0]!).searchParams.get('code_challenge_method')).toBe('S256');
  });
});

describe("authorizationParams.scope always asks for openid, as Auth0's SDK does", () => {
  it('so a scope copied from an Auth0 example still signs the user in (openid first, offline_access last)', async () => {
    const { client, navigations } = await signedIn({
      authorizationParams: { scope: 'read:current_user' },
      useRefreshTokens: true,
    });
    expect(query(navigations[0]!).scope).toBe('openid read:current_user offline_access');
    expect(client.getSnapshot().user?.sub).toBe('u');
  });

  it('given as a list too; one that names openid is sent as written', async () => {
    const listed = await signedIn({ authorizationParams: { scope: ['read:a', 'write:a'] } });
    expect(query(listed.navigations[0]!).scope).toBe('openid read:a write:a');
    const written = await signedIn({ authorizationParams: { scope: 'read:a openid' } });
    expect(query(written.navigations[0]!).scope).toBe('read:a openid');
  });
});

describe("createAuthClient takes Auth0's SDK's cacheLocation", () => {
  const sessionIn = async (options: Partial<AuthClientOptions>) => {
    const local = memoryStorage();
    await signedIn({ storage: undefined, environment: { localStorage: webStorageOver(local) }, ...options });
    return local.get('grantflow.app.session');
  };

  it("'localstorage' keeps the session in localStorage, as storage: 'local' does", async () => {
    expect(JSON.parse(String(await sessionIn({ cacheLocation: 'localstorage' }))).claims.sub).toBe('u');
  });

  it("'memory' (and no cacheLocation) keeps it out of localStorage; storage wins over cacheLocation", async () => {
    expect(await sessionIn({ cacheLocation: 'memory' })).toBeUndefined();
    expect(await sessionIn({})).toBeUndefined();
    expect(await sessionIn({ cacheLocation: 'localstorage', storage: 'memory' })).toBeUndefined();
  });

  it('refuses any other value at construction, naming storage', () => {
    expect(() =>
      offlineClient({}, () => Promise.reject(new Error('no request')), {
        cacheLocation: 'sessionstorage' as 'memory',
      }),
    ).toThrow(/cacheLocation must be 'memory' or 'localstorage'; or use storage/);
  });
});

describe("Auth0's SDK options without a counterpart of that name fail at construction, naming ours", () => {
  it.each([
    ['useRefreshTokensFallback', true, /useRefreshTokensFallback .*silentAuthorization: hiddenIframe\(\)/],
    ['useDpop', true, /useDpop .*proof: dpop\(\)/],
    ['cache', { get: () => undefined }, /cache .*storage/],
  ])('%s', (name, value, message) => {
    const options = { [name]: value } as Partial<AuthClientOptions>;
    expect(() => offlineClient({}, () => Promise.reject(new Error('no request')), options)).toThrow(
      TypeError,
    );
    expect(() => offlineClient({}, () => Promise.reject(new Error('no request')), options)).toThrow(message);
  });

  it("refuses a cache object whose methods sit on its class, as Auth0's LocalStorageCache", () => {
    class LocalStorageCache {
      get() {
        return undefined;
      }
    }
    const options = { cache: new LocalStorageCache() } as unknown as Partial<AuthClientOptions>;
    expect(() => offlineClient({}, () => Promise.reject(new Error('no request')), options)).toThrow(
      /cache .*storage/,
    );
  });

  it('accepts them turned off, as they are here by default', () => {
    const options = { useRefreshTokensFallback: false, useDpop: false } as Partial<AuthClientOptions>;
    expect(() => offlineClient({}, () => Promise.reject(new Error('no request')), options)).not.toThrow();
  });
});

describe("domain beside issuer is Auth0's, as its SDK takes both", () => {
  it('logs out through /v2/logout of the issuer', async () => {
    const { client, navigations } = await signedIn({ domain: 'login.example.com', issuer: OFFLINE_ISSUER });
    await client.logout();
    expect(navigations.at(-1)).toBe(`${OFFLINE_ISSUER}v2/logout?client_id=app`);
  });
});

describe("Auth0's SDK's time limits in seconds", () => {
  const base = { issuer: OFFLINE_ISSUER, clientId: 'app', redirectUri: 'https://app.example/' };

  it.each([
    [{ httpTimeoutInSeconds: 30 }, 30_000],
    [{ authorizeTimeoutInSeconds: 60 }, 60_000],
    [{ httpTimeoutInSeconds: 30, authorizeTimeoutInSeconds: 60 }, 60_000],
    [{ httpTimeoutInSeconds: 30, timeout: 5_000 }, 5_000],
    [{}, 10_000],
  ])('%o bounds requests and silent authorization at %i ms', (options, ms) => {
    expect(resolveOptions({ ...base, ...options }).timeout).toBe(ms);
    expect(resolveOptions({ ...base, ...options }).http.timeout).toBe(ms);
  });
});
