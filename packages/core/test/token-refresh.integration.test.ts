import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdp } from '@grantflow/dev-idp';
import { LoginRequiredError, MissingRefreshTokenError } from '../src/errors.js';
import type { CacheContents } from '../src/token-cache.js';
import type { StorageAdapter } from '../src/storage.js';
import { jwtPayload, login, startIdp, testClient } from './support.js';

const APPOINTMENTS = 'https://api.grantflow.local/appointments';
const BILLING = 'https://api.grantflow.local/billing';

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp({
    apis: {
      [APPOINTMENTS]: { scopes: ['read:appointments', 'write:appointments', 'admin:appointments'] },
      [BILLING]: { scopes: ['read:appointments'] },
    },
  });
});
afterAll(() => idp.close());

const stored = async (storage: StorageAdapter): Promise<CacheContents> =>
  JSON.parse((await storage.get('grantflow.grantflow-demo.session')) ?? '{}') as CacheContents;
const refreshTokenOf = async (storage: StorageAdapter, audience = APPOINTMENTS) =>
  (await stored(storage)).refresh_tokens[audience];

describe('getAccessToken with refresh tokens', () => {
  it('renews a stale token with the rotating refresh token', async () => {
    const { client, navigations, storage, tokenRequests, expireTokens } = testClient(idp.issuer, {
      useRefreshTokens: true,
    });
    await login(client, navigations);
    const first = await client.getAccessToken();
    const firstRefreshToken = await refreshTokenOf(storage);
    expect(firstRefreshToken).toEqual(expect.any(String));

    expireTokens();
    const second = await client.getAccessToken();
    expect(second).not.toBe(first);
    expect(jwtPayload(second).aud).toBe(APPOINTMENTS);
    const refresh = tokenRequests.at(-1)!.params;
    expect(refresh.get('grant_type')).toBe('refresh_token');
    expect(refresh.get('refresh_token')).toBe(firstRefreshToken);
    const rotated = await refreshTokenOf(storage);
    expect(rotated).not.toBe(firstRefreshToken);

    expireTokens();
    const third = await client.getAccessToken();
    expect(third).not.toBe(second);
    expect(tokenRequests.at(-1)!.params.get('refresh_token')).toBe(rotated);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
    client.destroy();
  });

  it('renews the token of a client that names no audience, with the refresh token of its login', async () => {
    const { client, navigations, tokenRequests, expireTokens } = testClient(idp.issuer, {
      useRefreshTokens: true,
      audience: undefined,
      scope: 'openid profile email',
    });
    await login(client, navigations);
    const first = await client.getAccessToken();
    const issued = tokenRequests.at(-1)!;
    expect(issued.params.get('grant_type')).toBe('authorization_code');
    expireTokens();
    const second = await client.getAccessToken();
    expect(second).not.toBe(first);
    expect(tokenRequests.at(-1)!.params.get('grant_type')).toBe('refresh_token');
    expect(tokenRequests.at(-1)!.params.get('refresh_token')).toEqual(expect.any(String));
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
    client.destroy();
  });

  it('sends exactly one refresh request for 100 concurrent calls at expiry', async () => {
    const { client, navigations, tokenRequests, expireTokens } = testClient(idp.issuer, {
      useRefreshTokens: true,
    });
    await login(client, navigations);
    expireTokens();
    const before = tokenRequests.length;
    const tokens = await Promise.all(Array.from({ length: 100 }, () => client.getAccessToken()));
    expect(tokenRequests.length - before).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    client.destroy();
  });

  it('caches tokens per audience', async () => {
    const { client, navigations, tokenRequests } = testClient(idp.issuer, { useRefreshTokens: true });
    await login(client, navigations);
    await login(client, navigations, { authorizationParams: { audience: BILLING } });
    const before = tokenRequests.length;

    const appointments = await client.getAccessToken();
    const billing = await client.getAccessToken({ audience: BILLING });
    expect(jwtPayload(appointments).aud).toBe(APPOINTMENTS);
    expect(jwtPayload(billing).aud).toBe(BILLING);
    expect(tokenRequests.length).toBe(before);

    // No refresh token was ever issued for this audience, and Node has no iframe to fall back on.
    await expect(
      client.getAccessToken({ audience: 'https://api.grantflow.local/unknown' }),
    ).rejects.toBeInstanceOf(MissingRefreshTokenError);
    expect(tokenRequests.length).toBe(before);
    client.destroy();
  });

  it('gets scopes beyond the defaults their own token, renewed with the merged scope', async () => {
    const { client, navigations, tokenRequests, expireTokens } = testClient(idp.issuer, {
      useRefreshTokens: true,
    });
    await login(client, navigations, { authorizationParams: { scope: 'write:appointments' } });
    const before = tokenRequests.length;
    const write = await client.getAccessToken({ scope: 'write:appointments' });
    expect(tokenRequests.length).toBe(before); // the login's own token
    expect(String(jwtPayload(write).scope).split(' ').sort()).toEqual([
      'read:appointments',
      'write:appointments',
    ]);

    expireTokens();
    const renewed = await client.getAccessToken({ scope: 'write:appointments' });
    expect(renewed).not.toBe(write);
    expect(tokenRequests.at(-1)!.params.get('scope')).toBe(
      'openid profile email read:appointments offline_access write:appointments',
    );
    // A token whose scopes include the defaults serves a default call too (as Auth0's SDK does)...
    const served = tokenRequests.length;
    expect(await client.getAccessToken()).toBe(renewed);
    expect(tokenRequests.length).toBe(served);
    // ...and once none is fresh, the default token is renewed on its own, without a scope parameter.
    expireTokens();
    await client.getAccessToken();
    expect(tokenRequests.length).toBe(served + 1);
    expect(tokenRequests.at(-1)!.params.has('scope')).toBe(false);
    client.destroy();
  });

  it('accepts max_age and checks auth_time in the ID token', async () => {
    const { client, navigations } = testClient(idp.issuer);
    await login(client, navigations, { authorizationParams: { max_age: 300 } });
    expect(new URL(navigations[0]!).searchParams.get('max_age')).toBe('300');
    expect((await client.getIdTokenClaims())?.auth_time).toEqual(expect.any(Number));
    client.destroy();
  });

  it('takes the ID token of a refresh, which is about the original authentication (OIDC Core §12.2)', async () => {
    const answers: { access_token: string; id_token?: string }[] = [];
    const { client, navigations } = testClient(idp.issuer, {
      useRefreshTokens: true,
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        if (init.body instanceof URLSearchParams) answers.push(await response.clone().json());
        return response;
      },
    });
    await login(client, navigations, { authorizationParams: { max_age: 300 } });
    const original = (await client.getIdTokenClaims())!;
    expect(original.auth_time).toEqual(expect.any(Number));
    const renewed = await client.getAccessToken({ cacheMode: 'off' });
    const refresh = answers.at(-1)!;
    expect(renewed).toBe(refresh.access_token);
    expect(refresh.id_token).toEqual(expect.any(String));
    const refreshed = (await client.getIdTokenClaims())!;
    expect(refreshed.__raw).toBe(refresh.id_token);
    for (const claim of ['aud', 'azp', 'auth_time']) expect(refreshed[claim]).toEqual(original[claim]);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
    client.destroy();
  });

  it('serves cache-only calls from the cache and never the network', async () => {
    const { client, navigations, tokenRequests, expireTokens } = testClient(idp.issuer, {
      useRefreshTokens: true,
    });
    await login(client, navigations);
    const token = await client.getAccessToken({ cacheMode: 'cache-only' });
    expect(jwtPayload(token).aud).toBe(APPOINTMENTS);
    expireTokens();
    const before = tokenRequests.length;
    await expect(client.getAccessToken({ cacheMode: 'cache-only' })).rejects.toMatchObject({
      code: 'login_required',
    });
    expect(tokenRequests.length).toBe(before);
    // `off` skips a fresh cached token.
    const renewed = await client.getAccessToken({ cacheMode: 'off' });
    const again = await client.getAccessToken({ cacheMode: 'off' });
    expect(again).not.toBe(renewed);
    expect(tokenRequests.length).toBe(before + 2);
    client.destroy();
  });

  it('ends the session with login_required when the refresh token was revoked', async () => {
    const { client, navigations, storage, expireTokens } = testClient(idp.issuer, { useRefreshTokens: true });
    await login(client, navigations);
    const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as {
      revocation_endpoint: string;
    };
    const revoked = await fetch(discovery.revocation_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: (await refreshTokenOf(storage))!, client_id: 'grantflow-demo' }),
    });
    expect(revoked.status).toBe(200);

    expireTokens();
    const attempt = client.getAccessToken();
    await expect(attempt).rejects.toBeInstanceOf(LoginRequiredError);
    await expect(attempt).rejects.toMatchObject({ code: 'login_required', cause: { code: 'invalid_grant' } });
    expect(client.getSnapshot()).toMatchObject({ status: 'error', isAuthenticated: false, user: undefined });
    expect(client.getSnapshot().error?.code).toBe('login_required');
    expect(await storage.get('grantflow.grantflow-demo.session')).toBeUndefined();
    client.destroy();
  });
});
