import { createAuthClient, popupWindow, type AuthClientOptions, type PopupWindowLike } from '@grantflow/core';
import { dpop, memoryKeyStore } from '@grantflow/core/dpop';
import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { createApp, defineComponent, h, nextTick } from 'vue';
import { createAuth, useAuth, type UseAuthReturn } from '../src/index.js';
import { createTestingAuth, TEST_USER } from '../src/testing.js';

const options: AuthClientOptions = {
  issuer: 'https://idp.test',
  clientId: 'spa',
  redirectUri: 'http://app.test/callback',
  navigate: () => {
    throw new Error('unexpected navigation');
  },
};

function captureAuth(plugins: object[]) {
  let auth: UseAuthReturn | undefined;
  const Probe = defineComponent({
    setup() {
      auth = useAuth();
      return () => h('p');
    },
  });
  const wrapper = mount(Probe, { global: { plugins: plugins as never[] } });
  return { auth: auth!, wrapper };
}

describe('ready', () => {
  it('settles once the first session check is over, from install, the plugin and useAuth()', async () => {
    const client = createAuthClient(options);
    let finish: () => void = () => undefined;
    vi.spyOn(client, 'checkSession').mockReturnValue(new Promise<void>((resolve) => (finish = resolve)));
    const plugin = createAuth(client);
    const app = createApp({ render: () => null });
    const installed = plugin.install(app);
    let settled = 0;
    for (const promise of [installed, plugin.ready]) void promise.then(() => settled++);
    await nextTick();
    expect(settled).toBe(0);
    finish();
    await plugin.ready;
    await installed;
    expect(settled).toBe(2);
    const { auth, wrapper } = captureAuth([createAuth(client, { checkSession: false })]);
    await expect(auth.ready).resolves.toBeUndefined();
    wrapper.unmount();
    client.destroy();
  });

  it('settles, never rejects, when the session check fails', async () => {
    const client = createAuthClient(options);
    vi.spyOn(client, 'checkSession').mockRejectedValue(new Error('offline'));
    const plugin = createAuth(client);
    await expect(plugin.install(createApp({ render: () => null }))).resolves.toBeUndefined();
    client.destroy();
  });
});

/** A client with the popup module, whose window opens popups with `open`. */
const popupClient = (open: (url: string, target: string) => PopupWindowLike | null) =>
  createAuthClient({
    ...options,
    endpoints: { authorization: 'https://idp.test/authorize', token: 'https://idp.test/oauth/token' },
    popup: popupWindow(),
    environment: {
      window: { opener: null, open, addEventListener: () => undefined, removeEventListener: () => undefined },
    },
  });

describe('SPA methods through useAuth()', () => {
  it('opens the popup synchronously inside the call, as a click handler needs', () => {
    const opened: string[] = [];
    const popup: PopupWindowLike = {
      closed: true,
      location: { href: 'about:blank' },
      close: () => undefined,
    };
    const client = popupClient((url, target) => (opened.push(`${target} ${url}`), popup));
    const { auth, wrapper } = captureAuth([createAuth(client, { checkSession: false })]);
    const login = auth.loginWithPopup();
    expect(opened).toEqual(['grantflow:popup ']);
    void login.catch(() => undefined);
    wrapper.unmount();
    client.destroy();
  });

  it("passes the app's own popup window and time limit on (Auth0's second argument)", async () => {
    const opened: string[] = [];
    const navigated: string[] = [];
    const popup = (closed: boolean): PopupWindowLike => ({
      closed,
      location: {
        get href() {
          return 'about:blank';
        },
        set href(url: string) {
          navigated.push(new URL(url).pathname);
        },
      },
      close: () => undefined,
    });
    const client = popupClient((url) => (opened.push(url), popup(true)));
    const { auth, wrapper } = captureAuth([createAuth(client, { checkSession: false })]);
    // Already closed by the user: each sign-in ends with popup_closed at its first look.
    await expect(auth.loginWithPopup({}, { popup: popup(true) })).rejects.toMatchObject({
      code: 'popup_closed',
    });
    await expect(
      auth.getAccessTokenWithPopup({}, { popup: popup(true), timeoutInSeconds: 5 }),
    ).rejects.toMatchObject({ code: 'popup_closed' });
    expect(opened).toEqual([]);
    expect(navigated).toEqual(['/authorize', '/authorize']);
    wrapper.unmount();
    client.destroy();
  });

  it('passes the options of checkSession on to the client', async () => {
    const client = createAuthClient(options);
    const checkSession = vi.spyOn(client, 'checkSession').mockResolvedValue(undefined);
    const { auth, wrapper } = captureAuth([createAuth(client, { checkSession: false })]);
    await auth.checkSession({ authorizationParams: { audience: 'https://api.test' }, cacheMode: 'off' });
    expect(checkSession).toHaveBeenCalledWith({
      authorizationParams: { audience: 'https://api.test' },
      cacheMode: 'off',
    });
    wrapper.unmount();
    client.destroy();
  });

  it('answers getUserInfo and getAccessToken({ detailedResponse }) from the client', async () => {
    const { auth, wrapper } = captureAuth([createTestingAuth({ accessToken: 'at', scope: 'read' })]);
    await expect(auth.getUserInfo()).resolves.toEqual(TEST_USER);
    await expect(auth.getAccessToken({ detailedResponse: true })).resolves.toMatchObject({
      access_token: 'at',
      scope: 'read',
      token_type: 'Bearer',
    });
    wrapper.unmount();
  });

  it('answers getAccessTokenWithPopup from the testing client, and its detailed token carries its tokenType', async () => {
    const plugin = createTestingAuth({ authenticated: false, accessToken: 'at', tokenType: 'DPoP' });
    const { auth, wrapper } = captureAuth([plugin]);
    await expect(auth.getAccessTokenWithPopup({ audience: 'https://api.test' })).resolves.toBe('at');
    expect(plugin.client.calls.getAccessTokenWithPopup).toEqual([{ audience: 'https://api.test' }]);
    expect(auth.isAuthenticated.value).toBe(true);
    await expect(auth.getAccessToken({ detailedResponse: true })).resolves.toMatchObject({
      access_token: 'at',
      token_type: 'DPoP',
    });
    wrapper.unmount();
  });

  it('answers getIdTokenClaims from the testing client', async () => {
    const idTokenClaims = { iss: 'https://idp.test/', sub: 'u1', aud: 'spa', exp: 2, iat: 1 };
    const { auth, wrapper } = captureAuth([createTestingAuth({ idTokenClaims })]);
    await expect(auth.getIdTokenClaims()).resolves.toEqual(idTokenClaims);
    wrapper.unmount();
  });

  it("createDpopProof gives the client's DPoP proof for the app's own request", async () => {
    const client = createAuthClient({ ...options, proof: dpop({ keyStore: memoryKeyStore() }) });
    const { auth, wrapper } = captureAuth([createAuth(client, { checkSession: false })]);
    const { createDpopProof } = auth;
    const proof = await createDpopProof({
      method: 'GET',
      url: 'https://api.test/things?x=1',
      accessToken: 'at',
    });
    const [header, payload] = proof
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))));
    expect(header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256' } });
    expect(payload).toMatchObject({ htm: 'GET', htu: 'https://api.test/things', ath: expect.any(String) });
    wrapper.unmount();
    client.destroy();
  });

  it('answers createDpopProof from the testing client, recording the request', async () => {
    const plugin = createTestingAuth({ dpopProof: 'proof-1' });
    const { auth, wrapper } = captureAuth([plugin]);
    const request = { method: 'POST', url: 'https://api.test/things', accessToken: 'at' };
    await expect(auth.createDpopProof(request)).resolves.toBe('proof-1');
    expect(plugin.client.calls.createDpopProof).toEqual([request]);
    wrapper.unmount();
    const fallback = captureAuth([createTestingAuth()]);
    await expect(fallback.auth.createDpopProof(request)).resolves.toBe('test-dpop-proof');
    fallback.wrapper.unmount();
  });

  it('loginWithInvitation starts the login with the invitation of a link', async () => {
    const plugin = createTestingAuth({ authenticated: false });
    const { auth, wrapper } = captureAuth([plugin]);
    const link = 'http://app.test/login?invitation=tkt&organization=org_1&organization_name=acme';
    await expect(auth.loginWithInvitation(link)).resolves.toBe(true);
    expect(plugin.client.calls.loginWithRedirect).toEqual([
      { authorizationParams: { invitation: 'tkt', organization: 'org_1' } },
    ]);
    await expect(auth.loginWithInvitation('http://app.test/login')).resolves.toBe(false);
    wrapper.unmount();
  });

  it('shows the latest renewal event', async () => {
    const plugin = createTestingAuth();
    const { auth, wrapper } = captureAuth([plugin]);
    expect(auth.renewal.value).toBeUndefined();
    plugin.client.emitRenewal({ type: 'renewed', expiresAt: 42 });
    expect(auth.renewal.value).toEqual({ type: 'renewed', expiresAt: 42 });
    wrapper.unmount();
    plugin.client.emitRenewal({ type: 'renewed', expiresAt: 43 });
    expect(auth.renewal.value).toEqual({ type: 'renewed', expiresAt: 42 });
  });
});
