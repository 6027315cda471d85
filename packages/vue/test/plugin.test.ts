import { createAuthClient, type AuthClientOptions } from '@grantflow/core';
import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h, inject } from 'vue';
import { authClientKey, createAuth, useAuthClient } from '../src/index.js';
import { StatusView } from './components.js';

// Never contacted: `checkSession: false`, and nothing here signs in.
const options: AuthClientOptions = {
  issuer: 'https://idp.test',
  clientId: 'spa',
  redirectUri: 'http://app.test/callback',
  navigate: () => {
    throw new Error('unexpected navigation');
  },
};

describe('createAuth', () => {
  it('creates one client from options and provides it under the typed key', () => {
    const auth = createAuth(options, { checkSession: false });
    let provided: unknown;
    const Probe = defineComponent({
      setup() {
        provided = inject(authClientKey);
        expect(useAuthClient()).toBe(provided);
        return () => h(StatusView);
      },
    });
    const wrapper = mount(Probe, { global: { plugins: [auth] } });
    expect(provided).toBe(auth.client);
    expect(wrapper.text()).toBe('unauthenticated|out|');
    wrapper.unmount();
  });

  it('destroys the client it created when the app unmounts', () => {
    const auth = createAuth(options, { checkSession: false });
    const destroy = vi.spyOn(auth.client, 'destroy');
    const wrapper = mount(StatusView, { global: { plugins: [auth] } });
    expect(destroy).not.toHaveBeenCalled();
    wrapper.unmount();
    expect(destroy).toHaveBeenCalledOnce();
  });

  it('leaves a client it was given to its owner', () => {
    const client = createAuthClient(options);
    const destroy = vi.spyOn(client, 'destroy');
    mount(StatusView, { global: { plugins: [createAuth(client, { checkSession: false })] } }).unmount();
    expect(destroy).not.toHaveBeenCalled();
    client.destroy();
  });

  it('restores the session on install unless told not to', () => {
    const client = createAuthClient(options);
    const checkSession = vi.spyOn(client, 'checkSession').mockResolvedValue(undefined);
    mount(StatusView, { global: { plugins: [createAuth(client, { checkSession: false })] } }).unmount();
    expect(checkSession).not.toHaveBeenCalled();
    mount(StatusView, { global: { plugins: [createAuth(client)] } }).unmount();
    expect(checkSession).toHaveBeenCalledOnce();
    client.destroy();
  });

  it('restores with the options given as checkSession: the token they name (another API, say)', () => {
    const client = createAuthClient(options);
    const checkSession = vi.spyOn(client, 'checkSession').mockResolvedValue(undefined);
    const asked = { authorizationParams: { audience: 'https://api.test' }, timeoutInSeconds: 5 };
    mount(StatusView, { global: { plugins: [createAuth(client, { checkSession: asked })] } }).unmount();
    expect(checkSession).toHaveBeenCalledExactlyOnceWith(asked);
    client.destroy();
  });

  describe('inside an iframe', () => {
    function inIframe(path: string) {
      window.history.replaceState(null, '', path);
      Object.defineProperty(window, 'top', { value: {}, configurable: true });
      return () => {
        Reflect.deleteProperty(window, 'top');
        window.history.replaceState(null, '', '/');
      };
    }

    it("leaves a callback alone: it is a silent authorization's answer, read by the parent page", () => {
      const restore = inIframe('/callback?code=abc&state=xyz');
      const client = createAuthClient(options);
      const handle = vi.spyOn(client, 'handleRedirectCallback');
      const checkSession = vi.spyOn(client, 'checkSession').mockResolvedValue(undefined);
      try {
        expect(window.self).not.toBe(window.top);
        mount(StatusView, { global: { plugins: [createAuth(client)] } }).unmount();
        expect(handle).not.toHaveBeenCalled();
        expect(checkSession).not.toHaveBeenCalled();
      } finally {
        restore();
        client.destroy();
      }
    });

    it('starts as usual when the app is merely embedded', () => {
      const restore = inIframe('/dashboard');
      const client = createAuthClient(options);
      const checkSession = vi.spyOn(client, 'checkSession').mockResolvedValue(undefined);
      try {
        mount(StatusView, { global: { plugins: [createAuth(client)] } }).unmount();
        expect(checkSession).toHaveBeenCalledOnce();
      } finally {
        restore();
        client.destroy();
      }
    });
  });
});
