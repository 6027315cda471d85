import { createAuthClient } from '@grantflow/core';
import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h, inject } from 'vue';
import { authClientKey, createAuth, useAuthClient, type AuthClientLike } from '../src/index.js';
import { createTestingAuth, TestingAuthClient } from '../src/testing.js';
import { StatusView } from './components.js';

/** A signed-in client with only the methods the plugin needs (an older core's, an app's own). */
function olderClient(): AuthClientLike {
  const fake = new TestingAuthClient();
  return {
    getSnapshot: () => fake.getSnapshot(),
    subscribe: (listener) => fake.subscribe(listener),
    loginWithRedirect: (options) => fake.loginWithRedirect(options),
    handleRedirectCallback: () => fake.handleRedirectCallback(),
    isCallbackUrl: () => fake.isCallbackUrl(),
    isSilentCallback: () => fake.isSilentCallback(),
    getAccessToken: fake.getAccessToken,
    checkSession: () => fake.checkSession(),
    logout: (options) => fake.logout(options),
    destroy: () => fake.destroy(),
  };
}

/** The core client's methods, as a real one has them. */
function coreMethods(): string[] {
  const client = createAuthClient({
    issuer: 'https://idp.test',
    clientId: 'spa',
    redirectUri: 'http://app.test/cb',
  });
  client.destroy();
  const methods = Object.keys(client).filter(
    (key) => typeof client[key as keyof typeof client] === 'function',
  );
  expect(methods).toEqual(
    expect.arrayContaining(['getUserInfo', 'onRenewal', 'getUser', 'buildAuthorizeUrl']),
  );
  return methods;
}

/** What a component of an app with `plugin` injects under `authClientKey`, and `useAuthClient()`. */
function injected(plugin: ReturnType<typeof createAuth>) {
  const seen: { provided?: unknown; used?: unknown } = {};
  const Probe = defineComponent({
    setup() {
      seen.provided = inject(authClientKey);
      seen.used = useAuthClient();
      return () => h(StatusView);
    },
  });
  const wrapper = mount(Probe, { global: { plugins: [plugin] } });
  return { ...seen, wrapper };
}

describe('the client under authClientKey', () => {
  it("has every method of the core's client when the one given lacks some", async () => {
    const given = olderClient();
    const plugin = createAuth(given, { checkSession: false });
    const { provided, used, wrapper } = injected(plugin);
    const client = provided as Record<string, unknown>;
    expect(coreMethods().filter((name) => typeof client[name] !== 'function')).toEqual([]);
    expect(used).toBe(provided);
    expect(plugin.client).toBe(provided);
    // One for every plugin given that client, which share its start-up.
    expect(createAuth(given, { checkSession: false }).client).toBe(provided);
    expect(wrapper.text()).toBe('authenticated|in|Test User');

    const full = plugin.client;
    // Its own methods answer, looked up at each call (a spy set later sees it).
    await expect(full.getAccessToken()).resolves.toBe('test-access-token');
    const logout = vi.spyOn(given, 'logout');
    await full.logout();
    expect(logout).toHaveBeenCalledOnce();
    // The missing ones answer as a core without that module, or reject saying what is missing.
    expect(full.onRenewal(() => undefined)).toBeTypeOf('function');
    await expect(full.forwardPopupCallback('http://app.test/callback?code=c&state=s')).resolves.toBe(false);
    await expect(full.isLoginCallback('http://app.test/callback?code=c&state=s')).resolves.toBe(false);
    await expect(full.getUserInfo()).rejects.toThrow(
      new TypeError('getUserInfo is not available: the client has no such method (update @grantflow/core)'),
    );
    await expect(full.buildAuthorizeUrl()).rejects.toThrow(TypeError);
    wrapper.unmount();
  });

  it('is the client itself when it has them all: the testing client, a core client', () => {
    const auth = createTestingAuth();
    const { provided, wrapper } = injected(auth);
    expect(provided).toBe(auth.client);
    const missing = coreMethods().filter(
      (name) => typeof (auth.client as unknown as Record<string, unknown>)[name] !== 'function',
    );
    expect(missing).toEqual([]);
    wrapper.unmount();

    const core = createAuthClient({
      issuer: 'https://idp.test',
      clientId: 'spa',
      redirectUri: 'http://app.test/cb',
    });
    expect(createAuth(core).client).toBe(core);
    core.destroy();
  });
});
