import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdp } from '@grantflow/dev-idp';
import { LoginRequiredError, StateMismatchError } from '../src/errors.js';
import type { AuthStatus } from '../src/state-machine.js';
import { jwtPayload, login, REDIRECT_URI, startIdp, testClient } from './support.js';

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp();
});
afterAll(() => idp.close());

describe('login with redirect against a real OpenID Provider', () => {
  it('redirects with PKCE S256, exchanges the code and exposes the session', async () => {
    const { client, navigations, tokenRequests } = testClient(idp.issuer);
    const statuses: AuthStatus[] = [];
    client.subscribe((snapshot) => statuses.push(snapshot.status));

    const { appState } = await login(client, navigations, { appState: { returnTo: '/appointments' } });

    const authorize = new URL(navigations[0]!);
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('audience')).toBe('https://api.grantflow.local/appointments');
    expect(appState).toEqual({ returnTo: '/appointments' });
    expect(statuses).toEqual(['redirecting', 'exchanging', 'authenticated']);

    const snapshot = client.getSnapshot();
    expect(snapshot).toMatchObject({
      status: 'authenticated',
      isAuthenticated: true,
      isLoading: false,
      error: undefined,
    });
    expect(snapshot.user).toMatchObject({ email: 'alice@example.com', name: expect.any(String) });
    expect(snapshot.user).not.toHaveProperty('nonce');
    expect(snapshot.scope).toContain('read:appointments');
    expect(snapshot.accessTokenExpiresAt).toBeGreaterThan(Date.now());
    expect(await client.isAuthenticated()).toBe(true);
    expect(await client.getUser()).toBe(snapshot.user);
    expect((await client.getIdTokenClaims())?.iss).toBe(idp.issuer);
    // The raw ID token as Auth0's SDK hands it out (`__raw`), the one the claims come from.
    const { __raw } = (await client.getIdTokenClaims())!;
    expect(__raw).toBe((await client.getAccessToken({ detailedResponse: true })).id_token);
    expect(jwtPayload(__raw!).sub).toBe(snapshot.user!.sub);

    const token = await client.getAccessToken();
    expect(jwtPayload(token)).toMatchObject({
      aud: 'https://api.grantflow.local/appointments',
      iss: idp.issuer,
    });
    // The code exchange was the only token request: the token came from the cache.
    expect(tokenRequests.map((request) => request.params.get('grant_type'))).toEqual(['authorization_code']);
    expect(tokenRequests[0]!.params.get('code_verifier')).toMatch(/^[\w-]{43}$/);
    client.destroy();
  });

  it('refuses a replayed callback with state_mismatch and changes nothing stored', async () => {
    const { client, navigations, storage } = testClient(idp.issuer);
    const { callback } = await login(client, navigations);
    const stored = await storage.get('grantflow.grantflow-demo.session');
    const before = client.getSnapshot();

    const replay = client.handleRedirectCallback(callback);
    await expect(replay).rejects.toBeInstanceOf(StateMismatchError);
    await expect(replay).rejects.toMatchObject({ code: 'state_mismatch' });
    expect(await storage.get('grantflow.grantflow-demo.session')).toBe(stored);
    // The session survives, still signed in: the error is reported beside it, nothing else changes.
    expect(client.getSnapshot()).toEqual({ ...before, error: expect.any(StateMismatchError) });
    client.destroy();
  });

  it('signs in with the issuer given without its root slash, then renews (RFC 3986 §6.2.3)', async () => {
    const slashless = idp.issuer.replace(/\/$/, '');
    const { client, navigations, expireTokens, tokenRequests } = testClient(slashless, {
      useRefreshTokens: true,
    });
    await login(client, navigations);
    expect(new URL(navigations[0]!).origin).toBe(new URL(idp.issuer).origin);
    expect((await client.getIdTokenClaims())?.iss).toBe(idp.issuer);
    expireTokens();
    expect(jwtPayload(await client.getAccessToken()).iss).toBe(idp.issuer);
    // The renewed ID token was checked against the discovered issuer too.
    expect(tokenRequests.at(-1)!.params.get('grant_type')).toBe('refresh_token');
    expect(client.getSnapshot()).toMatchObject({ isAuthenticated: true, error: undefined });
    client.destroy();
  });

  it('leaves a URL that is no callback alone', async () => {
    const { client } = testClient(idp.issuer);
    expect(client.isCallbackUrl(`${REDIRECT_URI}?code=abc&state=xyz`)).toBe(true);
    expect(client.isCallbackUrl(`${REDIRECT_URI}?error=access_denied&state=xyz`)).toBe(true);
    expect(client.isCallbackUrl(`${REDIRECT_URI}?code=abc`)).toBe(false);
    expect(client.isCallbackUrl('http://localhost:5999/other?code=abc&state=xyz')).toBe(false);
    await expect(client.handleRedirectCallback(`${REDIRECT_URI}?page=2`)).rejects.toBeInstanceOf(
      StateMismatchError,
    );
    expect(client.getSnapshot().status).toBe('unauthenticated');
    client.destroy();
  });

  it('logs out locally and through the end-session endpoint', async () => {
    const { client, navigations, storage } = testClient(idp.issuer);
    await login(client, navigations);
    await client.logout({ returnTo: 'http://localhost:5999/' });
    expect(client.getSnapshot()).toMatchObject({
      status: 'unauthenticated',
      isAuthenticated: false,
      user: undefined,
    });
    expect(await storage.get('grantflow.grantflow-demo.session')).toBeUndefined();
    const logoutUrl = new URL(navigations.at(-1)!);
    expect(logoutUrl.searchParams.get('client_id')).toBe('grantflow-demo');
    expect(logoutUrl.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost:5999/');
    expect(logoutUrl.href).not.toMatch(/id_token_hint/);
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
    client.destroy();
  });
});

describe('checkSession on page load', () => {
  it('ends unauthenticated, without an error, when nothing is stored', async () => {
    const { client, tokenRequests } = testClient(idp.issuer);
    await client.checkSession();
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: undefined });
    expect(tokenRequests).toHaveLength(0);
    client.destroy();
  });

  it('restores from stored tokens, refreshing when the access token is stale', async () => {
    const first = testClient(idp.issuer, { useRefreshTokens: true });
    await login(first.client, first.navigations);
    first.client.destroy();

    // A new page with the same persistent storage.
    const fresh = testClient(idp.issuer, { useRefreshTokens: true, storage: first.storage });
    await fresh.client.checkSession();
    expect(fresh.client.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { email: 'alice@example.com' },
    });
    expect(fresh.tokenRequests).toHaveLength(0);
    fresh.client.destroy();

    const later = testClient(idp.issuer, { useRefreshTokens: true, storage: first.storage });
    later.expireTokens();
    await later.client.checkSession();
    expect(later.client.getSnapshot().status).toBe('authenticated');
    expect(later.tokenRequests.map((request) => request.params.get('grant_type'))).toEqual(['refresh_token']);
    later.client.destroy();
  });

  it('reports the session when a token is renewed before checkSession ran', async () => {
    const first = testClient(idp.issuer, { useRefreshTokens: true });
    await login(first.client, first.navigations);
    first.client.destroy();

    const page = testClient(idp.issuer, { useRefreshTokens: true, storage: first.storage });
    page.expireTokens();
    await page.client.getAccessToken();
    expect(page.client.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { email: 'alice@example.com' },
    });
    page.client.destroy();
  });
});
