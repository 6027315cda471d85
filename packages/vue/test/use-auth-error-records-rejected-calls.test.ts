import {
  createAuthClient,
  LoginRequiredError,
  MissingRefreshTokenError,
  NetworkError,
  PopupClosedError,
  TimeoutError,
} from '@grantflow/core';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { createAuth, useAuth, type UseAuthReturn } from '../src/index.js';
import { createTestingAuth, type TestingAuthPlugin } from '../src/testing.js';

/** A view showing `useAuth().error`, with what `useAuth()` returned and the component's `$auth`. */
function mountErrorView(plugin: TestingAuthPlugin | ReturnType<typeof createAuth>) {
  let auth!: UseAuthReturn;
  const ErrorView = defineComponent({
    setup() {
      auth = useAuth();
      return () => h('p', auth.error.value?.code ?? 'no error');
    },
  });
  const wrapper = mount(ErrorView, { global: { plugins: [plugin] } });
  return { auth, wrapper, $auth: () => wrapper.vm.$auth };
}

/** What a call rejected with (it must reject). */
async function rejectionOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.fail('the call resolved'),
    (error: unknown) => error,
  );
}

type Recorded =
  | 'getAccessToken'
  | 'getAccessTokenWithPopup'
  | 'checkSession'
  | 'loginWithPopup'
  | 'logout'
  | 'handleRedirectCallback'
  | 'getUserInfo';

const RECORDED: Recorded[] = [
  'getAccessToken',
  'getAccessTokenWithPopup',
  'checkSession',
  'loginWithPopup',
  'logout',
  'handleRedirectCallback',
  'getUserInfo',
];

/** Makes the client's `name` reject with `error` (the bound methods look the client's up at each call). */
function failing(plugin: TestingAuthPlugin, name: Recorded, error: Error): void {
  Object.assign(plugin.client, { [name]: () => Promise.reject(error) });
}

describe("useAuth().error records a bound call's rejection, as auth0-vue's does", () => {
  it('records getAccessToken() of a signed-out visitor (login_required), rethrown unchanged, in useAuth, snapshot and $auth', async () => {
    const { auth, wrapper, $auth } = mountErrorView(createTestingAuth({ authenticated: false }));
    const error = await rejectionOf(auth.getAccessToken());
    expect(error).toBeInstanceOf(LoginRequiredError);
    expect(auth.error.value).toBe(error);
    expect(auth.snapshot.value.error).toBe(error);
    expect($auth().error).toBe(error);
    expect($auth().snapshot.error).toBe(error);
    await nextTick();
    expect(wrapper.text()).toBe('login_required');
  });

  it.each(RECORDED)('records a rejection of %s', async (name) => {
    const plugin = createTestingAuth();
    const { auth, $auth } = mountErrorView(plugin);
    const thrown = new NetworkError(`${name} failed`);
    failing(plugin, name, thrown);
    const call = (auth[name] as unknown as () => Promise<unknown>)();
    expect(await rejectionOf(call)).toBe(thrown);
    expect(auth.error.value).toBe(thrown);
    expect($auth().error).toBe(thrown);
  });

  it.each(RECORDED)("records a rejection of $auth's %s for useAuth() too", async (name) => {
    const plugin = createTestingAuth();
    const { auth, $auth } = mountErrorView(plugin);
    const thrown = new TimeoutError(`${name} timed out`);
    failing(plugin, name, thrown);
    const method = $auth()[name] as unknown as () => Promise<unknown>;
    expect(await rejectionOf(method())).toBe(thrown);
    expect(auth.error.value).toBe(thrown);
  });

  it('records missing_refresh_token of a token for another API while signed in', async () => {
    const plugin = createTestingAuth();
    const { auth } = mountErrorView(plugin);
    const thrown = new MissingRefreshTokenError('no refresh token', 'https://other.example/api');
    Object.assign(plugin.client, { getAccessToken: () => Promise.reject(thrown) });
    await rejectionOf(
      auth.getAccessToken({ authorizationParams: { audience: 'https://other.example/api' } }),
    );
    expect(auth.error.value?.code).toBe('missing_refresh_token');
  });

  it('is cleared by the next success of a bound call', async () => {
    const plugin = createTestingAuth({ authenticated: false });
    const { auth, wrapper, $auth } = mountErrorView(plugin);
    await rejectionOf(auth.getAccessToken());
    plugin.client.setState({ isAuthenticated: true });
    await expect(auth.getAccessToken()).resolves.toBe('test-access-token');
    expect(auth.error.value).toBeUndefined();
    expect($auth().error).toBeUndefined();
    await nextTick();
    expect(wrapper.text()).toBe('no error');
  });

  it("a success clears only the recorded error: the core's own error shows again", async () => {
    const coreError = new NetworkError('refresh failed, session kept');
    const plugin = createTestingAuth({ error: coreError });
    const { auth } = mountErrorView(plugin);
    const popupClosed = new PopupClosedError('closed');
    failing(plugin, 'loginWithPopup', popupClosed);
    await rejectionOf(auth.loginWithPopup());
    expect(auth.error.value).toBe(popupClosed);
    await auth.getUserInfo();
    expect(auth.error.value).toBe(coreError);
  });

  it("a new error in the core's snapshot replaces the recorded one; a later rejection is the newest again", async () => {
    const plugin = createTestingAuth({ authenticated: false });
    const { auth, $auth } = mountErrorView(plugin);
    await rejectionOf(auth.getAccessToken());
    const coreError = new NetworkError('the session check failed');
    plugin.client.setState({ status: 'error', error: coreError });
    expect(auth.error.value).toBe(coreError);
    expect($auth().error).toBe(coreError);
    const later = await rejectionOf(auth.getAccessToken());
    expect(auth.error.value).toBe(later);
    // The core pushing its unchanged error again does not hide the newer one.
    plugin.client.setState({ scope: 'read' });
    expect(auth.error.value).toBe(later);
  });

  it('rethrows a TypeError for a bad argument without recording it (not an auth failure)', async () => {
    const plugin = createTestingAuth();
    const { auth } = mountErrorView(plugin);
    const bad = new TypeError('audience must be a string');
    Object.assign(plugin.client, { getAccessToken: () => Promise.reject(bad) });
    expect(await rejectionOf(auth.getAccessToken())).toBe(bad);
    expect(auth.error.value).toBeUndefined();
  });

  it("records a real core client's login_required for a signed-out getAccessToken()", async () => {
    const client = createAuthClient({
      issuer: 'https://idp.invalid/',
      clientId: 'spa',
      redirectUri: 'http://app.test/callback',
      fetch: () => Promise.reject(new Error('offline')),
    });
    const { auth } = mountErrorView(createAuth(client, { checkSession: false }));
    const error = await rejectionOf(auth.getAccessToken());
    expect(error).toBeInstanceOf(LoginRequiredError);
    expect(auth.error.value).toBe(error);
    client.destroy();
  });
});
