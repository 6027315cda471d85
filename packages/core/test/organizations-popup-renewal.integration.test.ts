import { signIn, type DevIdp } from '@grantflow/dev-idp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { automaticRenewal, type RenewalEvent } from '../src/automatic-renewal.js';
import type { WindowLike } from '../src/environment.js';
import { PopupBlockedError, PopupClosedError } from '../src/errors.js';
import { parseInvitation } from '../src/invitation.js';
import { popupWindow } from '../src/popup.js';
import { ALICE, REDIRECT_URI, jwtPayload, login, startIdp, startProxy, testClient } from './support.js';

const BOB = { email: 'bob@example.com', password: 'bob-password' };
const APP_ORIGIN = new URL(REDIRECT_URI).origin;

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp({ initiateLoginUri: `${APP_ORIGIN}/login` });
});
afterAll(() => idp.close());

describe('organizations', () => {
  it('signs a member in with org_id and org_name, and keeps them on refresh', async () => {
    const { client, navigations, expireTokens } = testClient(idp.issuer, { useRefreshTokens: true });
    await login(client, navigations, { authorizationParams: { organization: 'org_acmeclinic' } });
    expect(client.getSnapshot().idTokenClaims).toMatchObject({
      org_id: 'org_acmeclinic',
      org_name: 'acme-clinic',
    });
    expireTokens();
    await client.getAccessToken();
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
    expect(client.getSnapshot().idTokenClaims?.org_id).toBe('org_acmeclinic');
    client.destroy();
  });

  it('refuses a refreshed ID token from another organization than the session, keeping only its rotated refresh token', async () => {
    let swap = false;
    let rotated: string | undefined;
    const { client, navigations, expireTokens, storage } = testClient(idp.issuer, {
      useRefreshTokens: true,
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        if (!swap || !url.endsWith('/oauth/token')) return response;
        const body = (await response.json()) as { id_token: string; refresh_token: string };
        rotated = body.refresh_token;
        const [header, payload, signature] = body.id_token.split('.');
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
        const forged = Buffer.from(JSON.stringify({ ...claims, org_id: 'org_other' })).toString('base64url');
        return Response.json({ ...body, id_token: `${header}.${forged}.${signature}` });
      },
    });
    await login(client, navigations, { authorizationParams: { organization: 'org_acmeclinic' } });
    const stored = JSON.parse((await storage.get('grantflow.grantflow-demo.session'))!);
    expireTokens();
    swap = true;
    await expect(client.getAccessToken()).rejects.toMatchObject({ code: 'id_token_invalid' });
    expect(rotated).toEqual(expect.any(String));
    expect(JSON.parse((await storage.get('grantflow.grantflow-demo.session'))!)).toEqual({
      ...stored,
      refresh_tokens: { 'https://api.grantflow.local/appointments': rotated },
    });
    expect(client.getSnapshot().idTokenClaims?.org_id).toBe('org_acmeclinic');
    client.destroy();
  });

  it('accepts an invitation link: the invitee signs in and gets the organization', async () => {
    const invitation = parseInvitation(idp.invitationLinks[0]!)!;
    expect(invitation).toMatchObject({ organization: 'org_acmeclinic', organization_name: 'acme-clinic' });
    const { client, navigations } = testClient(idp.issuer);
    await login(
      client,
      navigations,
      { authorizationParams: { invitation: invitation.invitation, organization: invitation.organization } },
      BOB,
    );
    expect(client.getSnapshot().idTokenClaims).toMatchObject({ sub: 'bob', org_id: 'org_acmeclinic' });
    client.destroy();
  });

  it('answers access_denied to a non-member, with nothing stored', async () => {
    const other = await startIdp({ organizations: [{ id: 'org_closed', name: 'closed', members: [] }] });
    const { client, navigations, storage } = testClient(other.issuer);
    await expect(
      login(client, navigations, { authorizationParams: { organization: 'org_closed' } }),
    ).rejects.toMatchObject({ code: 'authorization_error', error: 'access_denied' });
    expect(await storage.get('grantflow.grantflow-demo.session')).toBeUndefined();
    client.destroy();
    await other.close();
  });
});

/** A window whose popups "sign in" over HTTP (the dev IdP's real forms) once navigated. */
function popupHost(options: { blocked?: boolean; closeAfterOpen?: boolean } = {}) {
  const listeners = new Set<(event: never) => void>();
  const window: WindowLike = {
    opener: null,
    open() {
      if (options.blocked) return null;
      const popup = {
        closed: false,
        href: 'about:blank',
        location: {
          get href(): string {
            if (!popup.href.startsWith(APP_ORIGIN) && popup.href !== 'about:blank')
              throw new Error('cross-origin');
            return popup.href;
          },
          set href(url: string) {
            popup.href = url;
            if (options.closeAfterOpen) popup.closed = true;
            else void signIn(url, ALICE).then((callback) => (popup.href = callback.href));
          },
        },
        close() {
          popup.closed = true;
        },
      };
      return popup;
    },
    addEventListener: (_type, listener) => void listeners.add(listener),
    removeEventListener: (_type, listener) => void listeners.delete(listener),
  };
  return window;
}

describe('loginWithPopup', () => {
  it('signs in through the popup and shows authorizing, then authenticated', async () => {
    const statuses: string[] = [];
    const { client, navigations } = testClient(idp.issuer, {
      popup: popupWindow(),
      environment: { window: popupHost(), location: { href: `${APP_ORIGIN}/`, assign: () => undefined } },
    });
    client.subscribe((snapshot) => statuses.push(snapshot.status));
    await client.loginWithPopup();
    expect(navigations).toEqual([]);
    expect(statuses).toEqual(['authorizing', 'exchanging', 'authenticated']);
    expect(client.getSnapshot().user?.sub).toBe('alice');
    client.destroy();
  });

  it('rejects popup_blocked without touching the state, and popup_closed when closed', async () => {
    const blocked = testClient(idp.issuer, {
      popup: popupWindow(),
      environment: { window: popupHost({ blocked: true }) },
    });
    await expect(blocked.client.loginWithPopup()).rejects.toBeInstanceOf(PopupBlockedError);
    expect(blocked.client.getSnapshot().status).toBe('unauthenticated');
    const closed = testClient(idp.issuer, {
      popup: popupWindow(),
      environment: {
        window: popupHost({ closeAfterOpen: true }),
        location: { href: `${APP_ORIGIN}/`, assign: () => undefined },
      },
    });
    await expect(closed.client.loginWithPopup()).rejects.toBeInstanceOf(PopupClosedError);
    expect(closed.client.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: undefined });
    expect(await closed.storage.get('grantflow.grantflow-demo.session')).toBeUndefined();
  });

  it('getAccessTokenWithPopup gets a token for another scope through the popup', async () => {
    const { client, navigations } = testClient(idp.issuer, {
      popup: popupWindow(),
      environment: { window: popupHost(), location: { href: `${APP_ORIGIN}/`, assign: () => undefined } },
    });
    await login(client, navigations);
    const token = await client.getAccessTokenWithPopup({ scope: 'write:appointments' });
    expect(String(jwtPayload(token).scope).split(' ').sort()).toEqual([
      'read:appointments',
      'write:appointments',
    ]);
    await expect(
      client.getAccessToken({ scope: 'write:appointments', cacheMode: 'cache-only' }),
    ).resolves.toBe(token);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' } });
    client.destroy();
  });

  it('needs the popup module', async () => {
    const { client } = testClient(idp.issuer);
    await expect(client.loginWithPopup()).rejects.toBeInstanceOf(TypeError);
  });
});

describe('automatic renewal through the client', () => {
  it('renews ahead of expiry, backs off while the IdP is down, recovers when it is back', async () => {
    const short = await startIdp({ accessTokenTtl: 4 });
    const proxy = await startProxy(short.issuer);
    const metadata = (await (
      await fetch(`${short.issuer}.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    const events: RenewalEvent[] = [];
    const { client, navigations } = testClient(short.issuer, {
      useRefreshTokens: true,
      leeway: 1,
      endpoints: { authorization: metadata.authorization_endpoint!, token: `${proxy.url}/oauth/token` },
      renewal: automaticRenewal({ minRetryDelay: 200, maxRetryDelay: 400 }),
    });
    client.onRenewal((event) => events.push(event));
    await login(client, navigations);
    const first = client.getSnapshot().accessTokenExpiresAt!;
    await vi.waitFor(() => expect(events.filter((e) => e.type === 'renewed').length).toBe(1), {
      timeout: 8000,
    });
    expect(client.getSnapshot().accessTokenExpiresAt).toBeGreaterThan(first);
    proxy.mode = 'unreachable';
    await vi.waitFor(
      () => expect(events.filter((e) => e.type === 'renew_failed').length).toBeGreaterThanOrEqual(2),
      {
        timeout: 10_000,
      },
    );
    expect(client.getSnapshot().isAuthenticated).toBe(true);
    proxy.mode = 'pass';
    await vi.waitFor(() => expect(events.at(-1)?.type).toBe('renewed'), { timeout: 8000 });
    await client.logout({ localOnly: true });
    const count = events.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(events.length).toBe(count);
    client.destroy();
    await proxy.close();
    await short.close();
  });
});
