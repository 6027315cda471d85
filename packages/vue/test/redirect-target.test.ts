import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { createAuth, type AuthPluginOptions } from '../src/index.js';
import { TestingAuthClient } from '../src/testing.js';
import { AppShell, PrivatePage, PublicPage } from './components.js';

/** A page load on a callback URL whose login remembered `appState`. */
async function returnFromLogin(appState: unknown, options?: AuthPluginOptions) {
  const client = new TestingAuthClient({ authenticated: false });
  client.isCallbackUrl = () => true;
  client.handleRedirectCallback = async () => {
    client.setState({ status: 'authenticated', isAuthenticated: true });
    return { appState };
  };
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: PublicPage },
      { path: '/private/:id', component: PrivatePage },
    ],
  });
  mount(AppShell, { global: { plugins: [createAuth(client, options), router] } });
  await flushPromises();
  return router.currentRoute.value.fullPath;
}

describe('after the redirect callback', () => {
  it('goes to the in-app path the login remembered', async () => {
    expect(await returnFromLogin({ returnTo: '/private/9?x=1' })).toBe('/private/9?x=1');
  });

  it("follows auth0-vue's appState.target when there is no returnTo", async () => {
    expect(await returnFromLogin({ target: '/private/5#notes' })).toBe('/private/5#notes');
  });

  it('prefers returnTo over target', async () => {
    expect(await returnFromLogin({ returnTo: '/private/1', target: '/private/2' })).toBe('/private/1');
  });

  it.each([['//evil.example/x'], ['/\\evil.example'], ['https://evil.example'], [42]])(
    'goes home instead of %j',
    async (returnTo) => {
      expect(await returnFromLogin({ returnTo })).toBe('/');
      expect(await returnFromLogin({ target: returnTo })).toBe('/');
    },
  );

  it('lets onRedirectCallback decide instead', async () => {
    const seen: unknown[] = [];
    const path = await returnFromLogin(
      { returnTo: '/private/1' },
      { onRedirectCallback: (s) => seen.push(s) },
    );
    expect(seen).toEqual([{ returnTo: '/private/1' }]);
    expect(path).toBe('/');
  });
});
