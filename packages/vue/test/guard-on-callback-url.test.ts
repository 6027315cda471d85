import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { createRouter, createWebHistory } from 'vue-router';
import { createAuth, createAuthGuard, type AuthPluginOptions } from '../src/index.js';
import { pageClient, returnFromIdp, SLOW, useDevIdp } from './callback-page.js';
import { AppShell, PrivatePage, PublicPage } from './components.js';
import { returnDenied } from './page-load.js';

const devIdp = useDevIdp();

/** A page load of an app whose every route is guarded by `router.beforeEach(createAuthGuard())`. */
function loadGuardedApp(pluginOptions?: AuthPluginOptions) {
  const { options, seen } = pageClient(devIdp());
  const plugin = createAuth(options, pluginOptions);
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', component: PublicPage },
      { path: '/callback', component: PublicPage },
      { path: '/private/:id', component: PrivatePage },
    ],
  });
  router.beforeEach(createAuthGuard());
  const wrapper = mount(AppShell, { global: { plugins: [plugin, router] } });
  return { plugin, router, seen, wrapper };
}

describe('a global guard on the callback URL', () => {
  it('leaves code and state out of the address bar when onRedirectCallback does not navigate', async () => {
    await returnFromIdp(devIdp());
    const page = loadGuardedApp({ onRedirectCallback: () => undefined });
    await page.plugin.ready;
    await page.router.isReady();
    await vi.waitFor(() => expect(page.wrapper.text()).toContain('authenticated|in|Alice Example'), SLOW);
    await flushPromises();
    expect(window.location.pathname).toBe('/callback');
    expect(window.location.search).toBe('');
    page.wrapper.unmount();
  });

  it('guards another address that merely looks like a callback, as any route', async () => {
    window.history.replaceState(null, '', '/');
    const page = loadGuardedApp();
    await page.plugin.ready;
    // Every route is guarded: the page load itself already went to sign in.
    await page.router.isReady().catch(() => undefined);
    const before = page.seen.navigations.length;
    await page.router.push('/callback?code=forged&state=forged');
    await flushPromises();
    await vi.waitFor(() => expect(page.seen.navigations).toHaveLength(before + 1), SLOW);
    expect(page.router.currentRoute.value.fullPath).not.toContain('forged');
    page.wrapper.unmount();
  });

  it('starts no login after a failed callback, there or on a later visit to a guarded route', async () => {
    await returnDenied(devIdp());
    const page = loadGuardedApp();
    await page.plugin.ready;
    await page.router.isReady();
    await vi.waitFor(() => expect(page.wrapper.text()).toContain('error|out||authorization_error'), SLOW);

    await page.router.push('/private/1');
    await flushPromises();
    expect(page.seen.navigations).toEqual([]);
    expect(page.router.currentRoute.value.path).toBe('/callback');
    expect(page.wrapper.text()).toContain('authorization_error');
    page.wrapper.unmount();
  });
});
