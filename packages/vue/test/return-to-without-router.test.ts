import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createAuth, type AuthPluginOptions } from '../src/index.js';
import { TestingAuthClient } from '../src/testing.js';
import { pageClient, returnFromIdp, SLOW, useDevIdp } from './callback-page.js';
import { StatusView } from './components.js';

const here = () => window.location.pathname + window.location.search + window.location.hash;

/**
 * A page load on `/callback?code=…&state=…` of an app without vue-router, whose login remembered
 * `appState`; the fake completes it as the core does (the address bar cleaned, then resolved).
 */
async function returnWithoutRouter(appState: unknown, options?: AuthPluginOptions) {
  window.history.replaceState({ kept: true }, '', '/callback?code=c&state=s');
  const client = new TestingAuthClient({ authenticated: false });
  client.isCallbackUrl = () => true;
  client.handleRedirectCallback = async () => {
    window.history.replaceState(window.history.state, '', '/callback');
    client.setState({ status: 'authenticated', isAuthenticated: true });
    return { appState };
  };
  const plugin = createAuth(client, options);
  const wrapper = mount(StatusView, { global: { plugins: [plugin] } });
  await plugin.ready;
  await flushPromises();
  wrapper.unmount();
  return here();
}

describe('after the redirect callback, without vue-router', () => {
  it('should use appState.target for replaceState when no router is present', async () => {
    expect(await returnWithoutRouter({ target: '/dashboard?tab=2#notes' })).toBe('/dashboard?tab=2#notes');
    expect(window.history.state).toEqual({ kept: true });
  });

  it('prefers returnTo over target, as the router path does', async () => {
    expect(await returnWithoutRouter({ returnTo: '/profile', target: '/dashboard' })).toBe('/profile');
  });

  it.each([['//evil.example/x'], ['/\\evil.example'], ['https://evil.example/'], [42]])(
    'stays on the clean callback address for %j (not an in-app path)',
    async (target) => {
      expect(await returnWithoutRouter({ target })).toBe('/callback');
    },
  );

  it('stays on the clean callback address without a target', async () => {
    expect(await returnWithoutRouter(undefined)).toBe('/callback');
  });

  it('leaves the address to onRedirectCallback when given', async () => {
    const seen: unknown[] = [];
    const path = await returnWithoutRouter(
      { target: '/dashboard' },
      { onRedirectCallback: (s) => seen.push(s) },
    );
    expect(seen).toEqual([{ target: '/dashboard' }]);
    expect(path).toBe('/callback');
  });
});

describe('after a real callback, without vue-router', () => {
  const idp = useDevIdp();

  it(
    "writes the target with the client's injected history, after the core removed code and state",
    async () => {
      const writes: string[] = [];
      const history = {
        get state(): unknown {
          return window.history.state;
        },
        replaceState(state: unknown, unused: string, url?: string | URL | null) {
          writes.push(new URL(String(url), window.location.href).pathname);
          window.history.replaceState(state, unused, url);
        },
      };
      await returnFromIdp(idp(), { target: '/dashboard' });
      const { options } = pageClient(idp(), { environment: { history } });
      const plugin = createAuth(options);
      const wrapper = mount(StatusView, { global: { plugins: [plugin] } });
      await plugin.ready;
      await flushPromises();
      expect(wrapper.text()).toBe('authenticated|in|Alice Example');
      expect(writes).toEqual(['/callback', '/dashboard']);
      expect(here()).toBe('/dashboard');
      wrapper.unmount();
      plugin.client.destroy();
    },
    SLOW.timeout * 2,
  );
});
