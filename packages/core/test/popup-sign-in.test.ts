import { describe, expect, it } from 'vitest';
import { createAuthClient, memoryStorage, PopupClosedError, popupWindow } from '../src/index.js';
import { popupOpenerPage } from './support.js';

const ORIGIN = 'https://app.example';
const ISSUER = 'https://idp.example/';
const NOW = 1_700_000_000_000;

const jwt = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

/**
 * A client whose popups "sign in" at once: navigated to the authorization URL, the popup comes back to
 * its redirect_uri with a code; the token endpoint answers with an ID token for the request's nonce.
 */
function popupClient(knowsItsLocation = true, expiresIn = 300) {
  const authorizations: URL[] = [];
  const tokenRequests: string[] = [];
  let nonce = '';
  const popup = {
    closed: false,
    /** The user closes the popup instead of signing in. */
    cancelled: false,
    href: 'about:blank',
    location: {
      get href() {
        return popup.href;
      },
      set href(url: string) {
        const request = new URL(url);
        authorizations.push(request);
        nonce = request.searchParams.get('nonce')!;
        if (popup.cancelled) {
          popup.closed = true;
          return;
        }
        const callback = new URL(request.searchParams.get('redirect_uri')!);
        callback.searchParams.set('code', 'c');
        callback.searchParams.set('state', request.searchParams.get('state')!);
        popup.href = callback.href;
      },
    },
    close: () => void (popup.closed = true),
  };
  const client = createAuthClient({
    issuer: ISSUER,
    clientId: 'app',
    redirectUri: `${ORIGIN}/callback`,
    audience: 'https://api.example',
    endpoints: { authorization: `${ISSUER}authorize`, token: `${ISSUER}token` },
    now: () => NOW,
    navigate: () => undefined,
    fetch: async (url) => {
      tokenRequests.push(String(url));
      // The code was issued for the audience the authorization request named.
      const audience = authorizations.at(-1)!.searchParams.get('audience');
      return Response.json({
        access_token: `token for ${audience ?? 'the default audience'}`,
        token_type: 'Bearer',
        expires_in: expiresIn,
        id_token: jwt({ iss: ISSUER, sub: 'u', aud: 'app', iat: NOW / 1000, exp: NOW / 1000 + 300, nonce }),
      });
    },
    popup: popupWindow({ timeoutInSeconds: 2 }),
    environment: popupOpenerPage(popup, knowsItsLocation),
    transactionStorage: memoryStorage(),
  });
  return { client, authorizations, popup, tokenRequests };
}

describe('popup sign-in', () => {
  it('waits for the popup at the redirect_uri the login asked for', async () => {
    const { client, authorizations, popup } = popupClient();
    const elsewhere = `${ORIGIN}/popup-callback`;
    await client.loginWithPopup({ authorizationParams: { redirect_uri: elsewhere } });
    expect(authorizations[0]!.searchParams.get('redirect_uri')).toBe(elsewhere);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'u' } });
    expect(popup.closed).toBe(true);
    client.destroy();
  });

  it('getAccessTokenWithPopup asks for the audience and scope given, and gives that token', async () => {
    const { client, authorizations } = popupClient();
    const token = await client.getAccessTokenWithPopup({ audience: 'https://billing.example', scope: 'pay' });
    expect(token).toBe('token for https://billing.example');
    const asked = authorizations[0]!.searchParams;
    expect([asked.get('audience'), asked.get('scope')]).toEqual([
      'https://billing.example',
      'openid profile email pay',
    ]);
    client.destroy();
  });

  it("getAccessTokenWithPopup takes the audience inside authorizationParams (Auth0's SDK's shape)", async () => {
    const { client, authorizations } = popupClient();
    const token = await client.getAccessTokenWithPopup({
      authorizationParams: { audience: 'https://billing.example' },
    });
    expect(token).toBe('token for https://billing.example');
    expect(authorizations[0]!.searchParams.get('audience')).toBe('https://billing.example');
    client.destroy();
  });

  it('getAccessTokenWithPopup gives the token it got even when it lives no longer than the leeway', async () => {
    // 60 s tokens at the default 60 s leeway: the cache would hand none out, but this one is fresh.
    const { client, tokenRequests } = popupClient(true, 60);
    await expect(client.getAccessTokenWithPopup({ scope: 'pay' })).resolves.toBe(
      'token for https://api.example',
    );
    expect(tokenRequests).toEqual([`${ISSUER}token`]);
    client.destroy();
  });

  it('loginWithPopup resolves with the appState alone, never a token', async () => {
    const { client } = popupClient();
    await expect(client.loginWithPopup({ appState: { to: '/x' } })).resolves.toStrictEqual({
      appState: { to: '/x' },
    });
    client.destroy();
  });

  it("signs in by reading the popup's location where the app's own location is unknown", async () => {
    const { client, popup } = popupClient(false);
    await client.loginWithPopup();
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'u' } });
    expect(popup.closed).toBe(true);
    client.destroy();
  });

  it('getAccessTokenWithPopup sends the authorization params given, and waits at their redirect_uri', async () => {
    const { client, authorizations, popup } = popupClient();
    const elsewhere = `${ORIGIN}/popup-callback`;
    const token = await client.getAccessTokenWithPopup({
      audience: 'https://billing.example',
      authorizationParams: { login_hint: 'alice@example.com', redirect_uri: elsewhere },
    });
    expect(token).toBe('token for https://billing.example');
    const asked = authorizations[0]!.searchParams;
    expect([asked.get('login_hint'), asked.get('redirect_uri')]).toEqual(['alice@example.com', elsewhere]);
    expect(popup.closed).toBe(true);
    client.destroy();
  });

  it('a popup the user closes leaves a signed-out client signed out, and the call rejects', async () => {
    const { client, popup } = popupClient();
    const statuses: string[] = [];
    client.subscribe((snapshot) => statuses.push(snapshot.status));
    popup.cancelled = true;
    await expect(client.loginWithPopup()).rejects.toBeInstanceOf(PopupClosedError);
    await expect(client.getAccessTokenWithPopup({ scope: 'pay' })).rejects.toMatchObject({
      code: 'popup_closed',
    });
    expect(statuses).toEqual(['authorizing', 'unauthenticated', 'authorizing', 'unauthenticated']);
    expect(client.getSnapshot()).toMatchObject({
      status: 'unauthenticated',
      isAuthenticated: false,
      isLoading: false,
      error: undefined,
    });
    client.destroy();
  });

  it('a popup the user closes keeps a signed-in session, with the error', async () => {
    const { client, popup, tokenRequests } = popupClient();
    await client.loginWithPopup();
    popup.cancelled = true;
    await expect(client.loginWithPopup()).rejects.toBeInstanceOf(PopupClosedError);
    expect(client.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { sub: 'u' },
      error: expect.objectContaining({ code: 'popup_closed' }),
    });
    await expect(client.getAccessToken()).resolves.toBe('token for https://api.example');
    expect(tokenRequests).toHaveLength(1);
    client.destroy();
  });
});
