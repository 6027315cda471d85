import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DevIdp } from '@grantflow/dev-idp';
import { signIn } from '@grantflow/dev-idp';
import {
  AuthorizationError,
  IdTokenInvalidError,
  InvalidResponseError,
  NetworkError,
} from '../src/errors.js';
import { ALICE, EVENTUALLY, login, REDIRECT_URI, startIdp, testClient } from './support.js';

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp();
});
afterAll(() => idp.close());

const stateOf = (authorizeUrl: string) => new URL(authorizeUrl).searchParams.get('state')!;

describe('handleRedirectCallback', () => {
  it('surfaces an authorization error such as access_denied, typed, without a token request', async () => {
    const { client, navigations, tokenRequests } = testClient(idp.issuer);
    await client.loginWithRedirect();
    const callback = `${REDIRECT_URI}?error=access_denied&error_description=User%20declined&state=${stateOf(navigations[0]!)}&iss=${encodeURIComponent(idp.issuer)}`;
    const attempt = client.handleRedirectCallback(callback);
    await expect(attempt).rejects.toBeInstanceOf(AuthorizationError);
    await expect(attempt).rejects.toMatchObject({
      code: 'authorization_error',
      error: 'access_denied',
      error_description: 'User declined',
    });
    expect(client.getSnapshot()).toMatchObject({ status: 'error', isAuthenticated: false });
    expect(client.getSnapshot().error).toBeInstanceOf(AuthorizationError);
    expect(tokenRequests).toHaveLength(0);
    client.destroy();
  });

  it('refuses a response whose iss names another issuer (mix-up), before any token request', async () => {
    const { client, navigations, tokenRequests } = testClient(idp.issuer);
    await client.loginWithRedirect();
    const callback = await signIn(navigations[0]!, ALICE);
    callback.searchParams.set('iss', 'https://evil.example');
    await expect(client.handleRedirectCallback(callback.href)).rejects.toBeInstanceOf(InvalidResponseError);
    expect(tokenRequests).toHaveLength(0);
    client.destroy();
  });

  it('requires iss when discovery says the server sends it', async () => {
    const { client, navigations, tokenRequests } = testClient(idp.issuer);
    await client.loginWithRedirect();
    const callback = await signIn(navigations[0]!, ALICE);
    callback.searchParams.delete('iss');
    await expect(client.handleRedirectCallback(callback.href)).rejects.toThrow(/iss/);
    expect(tokenRequests).toHaveLength(0);
    client.destroy();
  });

  it('stores nothing when the token response lacks the ID token it must carry', async () => {
    const { client, navigations, storage } = testClient(idp.issuer, {
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        if (!(init.body instanceof URLSearchParams)) return response;
        const { id_token: _dropped, ...rest } = (await response.json()) as Record<string, unknown>;
        return Response.json(rest, { status: response.status });
      },
    });
    await expect(login(client, navigations)).rejects.toBeInstanceOf(IdTokenInvalidError);
    expect(await storage.get('grantflow.grantflow-demo.session')).toBeUndefined();
    expect(client.getSnapshot()).toMatchObject({ status: 'error', isAuthenticated: false });
    client.destroy();
  });

  it('removes code, state and iss from the address bar, keeping the rest', async () => {
    const location = { href: '', assign: vi.fn() };
    const replaceState = vi.fn();
    const { client, navigations } = testClient(idp.issuer, {
      environment: { location, history: { state: { app: 1 }, replaceState } },
    });
    await client.loginWithRedirect();
    const callback = await signIn(navigations[0]!, ALICE);
    callback.searchParams.set('tab', 'upcoming');
    location.href = callback.href;
    await client.handleRedirectCallback();
    expect(replaceState).toHaveBeenCalledWith({ app: 1 }, '', `${REDIRECT_URI}?tab=upcoming`);
    expect(client.getSnapshot().status).toBe('authenticated');
    client.destroy();
  });
});

describe('loginWithRedirect', () => {
  it('reports a failed discovery as an error and retries discovery on the next call', async () => {
    let failures = 1;
    const { client, navigations } = testClient(idp.issuer, {
      fetch: async (url, init) => {
        if (failures-- > 0) throw new TypeError('fetch failed');
        return fetch(url, init);
      },
    });
    await expect(client.loginWithRedirect()).rejects.toBeInstanceOf(NetworkError);
    expect(client.getSnapshot()).toMatchObject({ status: 'error', isLoading: false });
    expect(navigations).toHaveLength(0);
    await client.loginWithRedirect();
    expect(navigations).toHaveLength(1);
    client.destroy();
  });

  it('passes extra authorization parameters and merges scopes', async () => {
    const { client, navigations } = testClient(idp.issuer, { authorizationParams: { ui_locales: 'fr' } });
    await client.loginWithRedirect({
      authorizationParams: { login_hint: 'alice@example.com', scope: 'write:appointments' },
    });
    const params = new URL(navigations[0]!).searchParams;
    expect(params.get('ui_locales')).toBe('fr');
    expect(params.get('login_hint')).toBe('alice@example.com');
    expect(params.get('scope')).toBe('openid profile email read:appointments write:appointments');
    client.destroy();
  });
});

describe('a session ended while a refresh is in flight', () => {
  it('is not brought back by the refresh that completes afterwards', async () => {
    let release: (() => void) | undefined;
    let hold = false;
    const { client, navigations, storage, expireTokens } = testClient(idp.issuer, {
      useRefreshTokens: true,
      // The refresh's answer, already given by the server, is held back; the logout's revocation is not.
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        if (hold && init.body instanceof URLSearchParams && init.body.get('grant_type') === 'refresh_token')
          await new Promise<void>((resolve) => (release = resolve));
        return response;
      },
    });
    await login(client, navigations);
    expireTokens();
    hold = true;
    const refresh = client.getAccessToken();
    await vi.waitFor(() => expect(release).toBeDefined(), EVENTUALLY);
    expect(client.getSnapshot().status).toBe('refreshing');
    await client.logout({ localOnly: true });
    release!();
    await expect(refresh).rejects.toMatchObject({ code: 'login_required' });
    expect(await storage.get('grantflow.grantflow-demo.session')).toBeUndefined();
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: undefined });
    client.destroy();
  });
});

describe('a malformed refresh response', () => {
  it('keeps the session, changing only the refresh token the server rotated to, which the next refresh spends', async () => {
    let malformed = false;
    let rotated: unknown;
    const { client, navigations, storage, expireTokens } = testClient(idp.issuer, {
      useRefreshTokens: true,
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        if (!malformed || !(init.body instanceof URLSearchParams)) return response;
        const body = (await response.json()) as Record<string, unknown>;
        rotated = body.refresh_token;
        return Response.json({ ...body, token_type: 'Mac' });
      },
    });
    const key = 'grantflow.grantflow-demo.session';
    const api = 'https://api.grantflow.local/appointments';
    await login(client, navigations);
    const before = JSON.parse(String(await storage.get(key))) as { refresh_tokens: Record<string, string> };
    expireTokens();
    malformed = true;
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(InvalidResponseError);
    expect(rotated).toEqual(expect.any(String));
    expect(rotated).not.toBe(before.refresh_tokens[api]);
    // The dev IdP rotates: it has taken the old refresh token back (RFC 9700 §4.14.2).
    expect(JSON.parse(String(await storage.get(key)))).toEqual({
      ...before,
      refresh_tokens: { ...before.refresh_tokens, [api]: rotated },
    });
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', isAuthenticated: true });
    expect(client.getSnapshot().error).toBeInstanceOf(InvalidResponseError);
    // Spending the old one again would look like reuse, and the server would end the session.
    malformed = false;
    await expect(client.getAccessToken()).resolves.toEqual(expect.any(String));
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
    client.destroy();
  });
});
