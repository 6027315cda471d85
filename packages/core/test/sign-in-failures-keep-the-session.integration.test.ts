import { signIn, type DevIdp } from '@grantflow/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStorage, type StorageAdapter } from '../src/storage.js';
import { ALICE, login, proxiedTokenEndpoint, REDIRECT_URI, startIdp, testClient } from './support.js';

let idp: DevIdp;
let proxy: Awaited<ReturnType<typeof proxiedTokenEndpoint>>['proxy'];
let endpoints: { authorization: string; token: string };

beforeAll(async () => {
  idp = await startIdp();
  ({ proxy, endpoints } = await proxiedTokenEndpoint(idp));
});
afterAll(async () => {
  await proxy.close();
  await idp.close();
});

const SESSION_KEY = 'grantflow.grantflow-demo.session';

/** Follows an authorization request without the browser's IdP cookie to where it sends the user back. */
async function answerWithoutIdpSession(url: string): Promise<string> {
  for (let next = url; ;) {
    const response = await fetch(next, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (!location) throw new Error(`no redirect from ${next} (${response.status})`);
    next = new URL(location, next).href;
    if (next.startsWith(REDIRECT_URI)) return next;
  }
}

/** A storage whose writes start failing when `broken` is set. */
function breakableStorage(): StorageAdapter & { broken: boolean } {
  const inner = memoryStorage();
  const storage = {
    broken: false,
    get: (key: string) => inner.get(key),
    set: (key: string, value: string) => {
      if (storage.broken) throw new Error('quota exceeded');
      return inner.set(key, value);
    },
    remove: (key: string) => inner.remove(key),
  };
  return storage;
}

describe('a sign-in that fails leaves the session there was', () => {
  it('a login that cannot start while signed in keeps the session visible, with the error', async () => {
    const transactionStorage = breakableStorage();
    const { client, navigations } = testClient(idp.issuer, { transactionStorage, useRefreshTokens: true });
    await login(client, navigations);
    const { user } = client.getSnapshot();
    transactionStorage.broken = true;
    await expect(client.loginWithRedirect()).rejects.toMatchObject({ code: 'storage_error' });
    expect(client.getSnapshot()).toMatchObject({
      status: 'authenticated',
      isAuthenticated: true,
      isLoading: false,
      user,
      error: { code: 'storage_error' },
    });
    // The next success clears the error.
    await client.getAccessToken({ cacheMode: 'off' });
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
  });

  it('a navigate that throws reaches the snapshot instead of leaving it redirecting', async () => {
    let fail = false;
    const navigations: string[] = [];
    const { client } = testClient(idp.issuer, {
      navigate: (url) => {
        if (fail) throw new Error('navigation blocked');
        navigations.push(url);
      },
    });
    await login(client, navigations);
    fail = true;
    await expect(client.loginWithRedirect()).rejects.toThrow('navigation blocked');
    expect(client.getSnapshot()).toMatchObject({
      status: 'authenticated',
      isLoading: false,
      error: { code: 'invalid_response' },
    });
    expect(client.getSnapshot().error?.cause).toBeInstanceOf(Error);

    const signedOut = testClient(idp.issuer, {
      navigate: () => {
        throw new Error('navigation blocked');
      },
    }).client;
    await expect(signedOut.loginWithRedirect()).rejects.toThrow('navigation blocked');
    expect(signedOut.getSnapshot()).toMatchObject({ status: 'error', isLoading: false });
  });

  it('a code exchange that fails in a signed-in tab keeps the session, with the error', async () => {
    const { client, navigations } = testClient(idp.issuer, { endpoints });
    await login(client, navigations);
    const before = client.getSnapshot();
    await client.loginWithRedirect();
    const callback = (await signIn(navigations.at(-1)!, ALICE)).href;
    proxy.mode = 'unreachable';
    try {
      await expect(client.handleRedirectCallback(callback)).rejects.toMatchObject({ code: 'network_error' });
    } finally {
      proxy.mode = 'pass';
    }
    expect(client.getSnapshot()).toMatchObject({
      status: 'authenticated',
      isAuthenticated: true,
      user: before.user,
      accessTokenExpiresAt: before.accessTokenExpiresAt,
      error: { code: 'network_error' },
    });
  });

  it('a code exchange that fails on a page load shows the session stored before, with the error', async () => {
    const storage = memoryStorage();
    const transactionStorage = memoryStorage();
    const first = testClient(idp.issuer, { endpoints, storage, transactionStorage });
    await login(first.client, first.navigations);
    await first.client.loginWithRedirect();
    const callback = (await signIn(first.navigations.at(-1)!, ALICE)).href;
    const stored = await storage.get(SESSION_KEY);

    // The page comes back at the callback URL: a new client over the same storage, the IdP unreachable.
    const reloaded = testClient(idp.issuer, { endpoints, storage, transactionStorage }).client;
    proxy.mode = 'unreachable';
    try {
      await expect(reloaded.handleRedirectCallback(callback)).rejects.toMatchObject({
        code: 'network_error',
      });
    } finally {
      proxy.mode = 'pass';
    }
    expect(reloaded.getSnapshot()).toMatchObject({
      status: 'authenticated',
      isAuthenticated: true,
      user: first.client.getSnapshot().user,
      error: { code: 'network_error' },
    });
    expect(await storage.get(SESSION_KEY)).toBe(stored);
  });

  it('a page load with the IdP unreachable and the token expired shows the stored session, with the error', async () => {
    const storage = memoryStorage();
    const first = testClient(idp.issuer, { endpoints, storage, useRefreshTokens: true });
    await login(first.client, first.navigations);
    const { user } = first.client.getSnapshot();
    const stored = await storage.get(SESSION_KEY);

    const reloaded = testClient(idp.issuer, { endpoints, storage, useRefreshTokens: true });
    reloaded.expireTokens();
    proxy.mode = 'unreachable';
    try {
      await reloaded.client.checkSession();
    } finally {
      proxy.mode = 'pass';
    }
    expect(reloaded.client.getSnapshot()).toMatchObject({
      status: 'authenticated',
      isAuthenticated: true,
      user,
      error: { code: 'network_error' },
    });
    expect(await storage.get(SESSION_KEY)).toBe(stored);
    // The IdP is back: the next token renews with the same refresh token and clears the error.
    await expect(reloaded.client.getAccessToken()).resolves.toEqual(expect.any(String));
    expect(reloaded.client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
  });

  it('a silent sign-in answered login_required while signed in ends no session, in storage or on screen', async () => {
    const storage = memoryStorage();
    const { client, navigations } = testClient(idp.issuer, { storage, useRefreshTokens: true });
    await login(client, navigations);
    const before = client.getSnapshot();
    const stored = await storage.get(SESSION_KEY);
    // The IdP has no session of its own for this browser: a `prompt=none` sign-in comes back refused.
    await client.loginWithRedirect({ authorizationParams: { prompt: 'none' } });
    const callback = await answerWithoutIdpSession(navigations.at(-1)!);
    expect(new URL(callback).searchParams.get('error')).toBe('login_required');

    await expect(client.handleRedirectCallback(callback)).rejects.toMatchObject({ code: 'login_required' });
    expect(client.getSnapshot()).toMatchObject({
      status: 'authenticated',
      isAuthenticated: true,
      user: before.user,
      accessTokenExpiresAt: before.accessTokenExpiresAt,
      error: { code: 'login_required' },
    });
    expect(await storage.get(SESSION_KEY)).toBe(stored);
    // The refresh token is still good: the next renewal succeeds and clears the error.
    await expect(client.getAccessToken({ cacheMode: 'off' })).resolves.toEqual(expect.any(String));
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
  });

  it('a token served from the cache is a success too: it clears the error the snapshot shows', async () => {
    const { client, navigations } = testClient(idp.issuer, { endpoints, useRefreshTokens: true });
    await login(client, navigations);
    const token = await client.getAccessToken();
    proxy.mode = 'unreachable';
    try {
      await expect(client.getAccessToken({ cacheMode: 'off' })).rejects.toMatchObject({
        code: 'network_error',
      });
    } finally {
      proxy.mode = 'pass';
    }
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: { code: 'network_error' } });
    await expect(client.getAccessToken()).resolves.toBe(token);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
  });
});
