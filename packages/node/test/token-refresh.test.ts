import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LoginRequiredError,
  MissingRefreshTokenError,
  NetworkError,
  refreshTokens,
  type FetchLike,
} from '@grantflow/core';
import { TokenStorageError, type TokenStorage } from '../src/index.js';
import {
  ALICE,
  AUDIENCE,
  CLI_CLIENT_ID,
  devIdpForFile,
  jwtPayload,
  httpBrowser,
  SCOPE,
  signedIn,
  tempDirs,
  testClient,
} from './support.js';

// 120 s tokens: 70 s later less than the 60 s leeway is left, so the token is due for a refresh.
const started = devIdpForFile({ accessTokenTtl: 120 });
const tempDir = tempDirs();
const LATER = 70_000;

interface Stored {
  refresh_tokens: Record<string, string>;
}
const storedSession = async (storage: { get(key: string): unknown }) =>
  JSON.parse(
    ((await storage.get(`${started.idp.issuer} grantflow.${CLI_CLIENT_ID}.session`)) as string | undefined) ??
      'null',
  ) as Stored | null;

/** A client whose clock can be moved forward. */
function clientWithClock(dir: string, fetch?: FetchLike) {
  const clock = { offset: 0 };
  const test = testClient(started.idp.issuer, dir, {
    now: () => Date.now() + clock.offset,
    ...(fetch ? { fetch } : {}),
  });
  return { ...test, clock };
}

const refreshes = (requests: Array<{ params: URLSearchParams }>) =>
  requests.filter((r) => r.params.get('grant_type') === 'refresh_token').length;

describe('getAccessToken: refresh on demand', () => {
  it('serves the stored token while fresh, then refreshes it with the rotating refresh token', async () => {
    const dir = await tempDir();
    const { client, storage, requests, clock } = clientWithClock(dir);
    const { accessToken } = await signedIn(client);
    expect(await client.getAccessToken()).toBe(accessToken);
    expect(refreshes(requests)).toBe(0);
    const before = (await storedSession(storage))!.refresh_tokens[AUDIENCE];

    clock.offset = LATER;
    const renewed = await client.getAccessToken();
    expect(renewed).not.toBe(accessToken);
    expect(jwtPayload(renewed)).toMatchObject({ aud: AUDIENCE, sub: 'alice' });
    expect(refreshes(requests)).toBe(1);
    const after = (await storedSession(storage))!.refresh_tokens[AUDIENCE];
    expect(after).toEqual(expect.any(String));
    expect(after).not.toBe(before);
  });

  it("with cacheMode 'cache-only' serves a fresh stored token, and never refreshes a due one", async () => {
    const dir = await tempDir();
    const { client, storage, requests, clock } = clientWithClock(dir);
    const { accessToken } = await signedIn(client);
    expect(await client.getAccessToken({ cacheMode: 'cache-only' })).toBe(accessToken);
    const kept = (await storedSession(storage))!.refresh_tokens[AUDIENCE];

    clock.offset = LATER;
    await expect(client.getAccessToken({ cacheMode: 'cache-only' })).rejects.toBeInstanceOf(
      LoginRequiredError,
    );
    expect(refreshes(requests)).toBe(0);
    expect((await storedSession(storage))!.refresh_tokens[AUDIENCE]).toBe(kept);
  });

  it('names the default scope on each refresh with refreshWithScope (Entra ID), and none without', async () => {
    const refreshScopes = async (options: { refreshWithScope?: boolean }) => {
      let offset = 0;
      const test = testClient(started.idp.issuer, await tempDir(), {
        now: () => Date.now() + offset,
        ...options,
      });
      await signedIn(test.client);
      offset = LATER;
      expect(jwtPayload(await test.client.getAccessToken())).toMatchObject({ aud: AUDIENCE });
      const refreshes = test.requests.filter((r) => r.params.get('grant_type') === 'refresh_token');
      return refreshes.map((r) => r.params.get('scope'));
    };
    expect(await refreshScopes({ refreshWithScope: true })).toEqual([`${SCOPE} offline_access`]);
    expect(await refreshScopes({})).toEqual([null]);
  });

  it('refreshes once for concurrent callers, in one process and across clients sharing the file', async () => {
    const dir = await tempDir();
    const first = clientWithClock(dir);
    await signedIn(first.client);
    // A second client over the same file stands in for a second process.
    const second = clientWithClock(dir);
    first.clock.offset = LATER;
    second.clock.offset = LATER;
    const tokens = await Promise.all([
      first.client.getAccessToken(),
      first.client.getAccessToken(),
      second.client.getAccessToken(),
      second.client.getAccessToken(),
    ]);
    expect(new Set(tokens).size).toBe(1);
    expect(refreshes(first.requests) + refreshes(second.requests)).toBe(1);
  });

  it('keeps the refresh token when the server cannot be reached, and uses it once it can', async () => {
    const dir = await tempDir();
    let offline = false;
    const flaky: FetchLike = (url, init) =>
      offline ? Promise.reject(new TypeError('fetch failed')) : globalThis.fetch(url, init);
    const { client, storage, clock } = clientWithClock(dir, flaky);
    await signedIn(client);
    const kept = (await storedSession(storage))!.refresh_tokens[AUDIENCE];

    clock.offset = LATER;
    offline = true;
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(NetworkError);
    expect((await storedSession(storage))!.refresh_tokens[AUDIENCE]).toBe(kept);
    offline = false;
    expect(jwtPayload(await client.getAccessToken()).sub).toBe('alice');
  });

  it('says login is required before any login', async () => {
    const { client } = clientWithClock(await tempDir());
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
  });
});

describe('getUser', () => {
  it("ends no session for want of a grant for its own API: another API's login stays usable", async () => {
    const dir = await tempDir();
    const { client, storage } = testClient(started.idp.issuer, dir);
    await signedIn(client);
    const kept = (await storedSession(storage))!.refresh_tokens[AUDIENCE];
    // Another app (or `grantflow whoami --audience`) over the same token file, for an API never signed in to.
    const other = testClient(started.idp.issuer, dir, { audience: 'https://other.example' }).client;
    await expect(other.getUser()).rejects.toBeInstanceOf(MissingRefreshTokenError);
    expect((await storedSession(storage))!.refresh_tokens[AUDIENCE]).toBe(kept);
    expect(await client.getUser()).toMatchObject({ sub: 'alice' });
  });

  it('asks a server that does not answer only once, then answers with the stored user, its tokens kept', async () => {
    const dir = await tempDir();
    let hanging = false;
    const unanswered: string[] = [];
    const fetch: FetchLike = (url, init) => {
      if (!hanging) return globalThis.fetch(url, init);
      unanswered.push(url);
      return new Promise((_, reject) =>
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    };
    const clock = { offset: 0 };
    const options = { fetch, now: () => Date.now() + clock.offset };
    const { client, storage } = testClient(started.idp.issuer, dir, options);
    await signedIn(client);
    const kept = (await storedSession(storage))!.refresh_tokens[AUDIENCE];
    hanging = true;
    clock.offset = LATER;
    // A new process (`grantflow whoami`): no metadata yet, and the stored token is due for a refresh.
    const later = testClient(started.idp.issuer, dir, { ...options, timeout: 500 }).client;
    expect(await later.getUser()).toMatchObject({ sub: 'alice', email: ALICE.email });
    expect(unanswered).toHaveLength(1);
    expect((await storedSession(storage))!.refresh_tokens[AUDIENCE]).toBe(kept);

    hanging = false;
    const { client: back } = testClient(started.idp.issuer, dir, options);
    expect(jwtPayload(await back.getAccessToken())).toMatchObject({ sub: expect.any(String) });
    expect((await storedSession(storage))!.refresh_tokens[AUDIENCE]).not.toBe(kept);
  });

  it('is undefined before any login', async () => {
    const { client } = clientWithClock(await tempDir());
    expect(await client.getUser()).toBeUndefined();
  });
});

describe('logout', () => {
  it('revokes the refresh token at the server (RFC 7009) and forgets the session', async () => {
    const dir = await tempDir();
    const { client, storage } = clientWithClock(dir);
    await signedIn(client);
    const refreshToken = (await storedSession(storage))!.refresh_tokens[AUDIENCE]!;

    await client.logout();
    expect(await storedSession(storage)).toBeNull();
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
    const tokenEndpoint = new URL('oauth/token', started.idp.issuer).href;
    await expect(
      refreshTokens(tokenEndpoint, { client_id: CLI_CLIENT_ID, refresh_token: refreshToken }),
    ).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('forgets the session even when the server cannot be reached', async () => {
    const dir = await tempDir();
    let offline = false;
    const flaky: FetchLike = (url, init) =>
      offline ? Promise.reject(new TypeError('fetch failed')) : globalThis.fetch(url, init);
    const { client, storage } = clientWithClock(dir, flaky);
    await signedIn(client);
    offline = true;
    await client.logout();
    expect(await storedSession(storage)).toBeNull();
    // A new process has no metadata yet: it says the server could not be reached, signed out all the same.
    await signedIn(clientWithClock(dir).client);
    const fresh = clientWithClock(dir, flaky);
    await expect(fresh.client.logout()).rejects.toBeInstanceOf(NetworkError);
    expect(await storedSession(storage)).toBeNull();
  });
});

describe('token storage failures', () => {
  it('reach the caller as TokenStorageError naming the token file, from every method', async () => {
    const dir = await tempDir();
    // A directory where the file should be: it can be neither read nor replaced.
    await mkdir(join(dir, 'tokens.json'));
    const { client } = clientWithClock(dir);
    const browser = httpBrowser();
    const failures = [
      await client.getAccessToken().catch((e: unknown) => e),
      await client.getUser().catch((e: unknown) => e),
      await client.logout().catch((e: unknown) => e),
      await client.login({ openBrowser: browser.open, print: () => undefined }).catch((e: unknown) => e),
    ];
    expect((await browser.visit).status).toBe(400);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(TokenStorageError);
      expect(failure).toMatchObject({ code: 'token_storage', message: expect.stringContaining(dir) });
    }
  });

  it('carry another storage’s own failure as the cause', async () => {
    const locked = new Error('the keychain is locked');
    const keychain: TokenStorage = {
      get: () => Promise.reject(locked),
      set: () => Promise.reject(locked),
      remove: () => Promise.reject(locked),
    };
    const { client } = testClient(started.idp.issuer, await tempDir(), { storage: keychain });
    const failure = await client.getAccessToken().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TokenStorageError);
    expect(failure).toMatchObject({ code: 'token_storage', cause: locked });
  });
});
