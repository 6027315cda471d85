import { flushPromises, mount } from '@vue/test-utils';
import { NetworkError } from '@grantflow/core';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter, type RouteLocationNormalized } from 'vue-router';
import { createAuthGuard } from '../src/index.js';
import { createTestingAuth, TestingAuthClient } from '../src/testing.js';
import { createAuth } from '../src/index.js';
import { AppShell, PrivatePage, PublicPage } from './components.js';
import { signedOutVisit } from './signed-out-visit.js';

function makeRouter() {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: PublicPage },
      { path: '/private/:id', component: PrivatePage, beforeEnter: createAuthGuard() },
    ],
  });
}

describe('createAuthGuard', () => {
  it('starts a login that remembers the requested route, and stays put', async () => {
    const auth = createTestingAuth({ authenticated: false });
    const router = makeRouter();
    const wrapper = mount(AppShell, { global: { plugins: [auth, router] } });
    await router.push('/');
    await router.push('/private/7?tab=notes#top');
    await flushPromises();

    expect(auth.client.calls.loginWithRedirect).toEqual([
      { appState: { returnTo: '/private/7?tab=notes#top', target: '/private/7?tab=notes#top' } },
    ]);
    expect(router.currentRoute.value.fullPath).toBe('/');
    expect(wrapper.text()).toContain('Public page');
  });

  it('lets a signed-in user through', async () => {
    const auth = createTestingAuth({ user: { sub: 'alice', name: 'Alice' } });
    const router = makeRouter();
    const wrapper = mount(AppShell, { global: { plugins: [auth, router] } });
    await router.push('/private/1');
    await flushPromises();

    expect(auth.client.calls.loginWithRedirect).toEqual([]);
    expect(wrapper.text()).toContain('Private page of Alice');
  });

  it('waits for the session check of the page load before deciding', async () => {
    const client = new TestingAuthClient({ authenticated: false, status: 'checking' });
    let finishCheck!: () => void;
    client.checkSession = () =>
      new Promise<void>((resolve) => {
        finishCheck = () => {
          client.setState({ status: 'authenticated', user: { sub: 'alice', name: 'Alice' } });
          resolve();
        };
      });
    const router = makeRouter();
    const wrapper = mount(AppShell, { global: { plugins: [createAuth(client), router] } });
    const navigation = router.push('/private/2');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).not.toBe('/private/2');

    finishCheck();
    await navigation;
    await flushPromises();
    expect(client.calls.loginWithRedirect).toEqual([]);
    expect(wrapper.text()).toContain('Private page of Alice');
  });

  it('passes extra login options, per route when given a function', async () => {
    const { logins } = await signedOutVisit({
      loginOptions: (to: RouteLocationNormalized) => ({
        authorizationParams: { screen_hint: String(to.query.tab) },
      }),
    });
    expect(logins).toEqual([
      {
        authorizationParams: { screen_hint: 'notes' },
        appState: { returnTo: '/private/7?tab=notes', target: '/private/7?tab=notes' },
      },
    ]);
  });

  it('keeps the visitor in place when the login cannot start', async () => {
    const client = new TestingAuthClient({ authenticated: false });
    client.loginWithRedirect = async () => {
      client.setState({ status: 'error', error: new NetworkError('IdP unreachable') });
      throw new NetworkError('IdP unreachable');
    };
    const router = makeRouter();
    const wrapper = mount(AppShell, { global: { plugins: [createAuth(client), router] } });
    await router.push('/');
    await expect(router.push('/private/3')).resolves.toBeDefined();
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/');
    expect(wrapper.text()).toContain('error|out||network_error');
  });
});
