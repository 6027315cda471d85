import { describe, expect, it, vi } from 'vitest';
import { createApp, watch } from 'vue';
import { createRouter, createWebHistory } from 'vue-router';
import { createAuth, useAuth } from '../src/index.js';
import { pageClient, SLOW, useDevIdp } from './callback-page.js';
import { AppShell, PublicPage } from './components.js';

const devIdp = useDevIdp();

describe('useAuth() outside a component', () => {
  it('follows the state in app.runWithContext: isLoading turns false after the session check', async () => {
    const { options, seen } = pageClient(devIdp());
    const plugin = createAuth(options);
    const app = createApp(PublicPage).use(plugin);
    app.mount(document.createElement('div'));
    const auth = app.runWithContext(() => useAuth());
    expect(auth.isLoading.value).toBe(true);
    await vi.waitFor(() => expect(auth.isLoading.value).toBe(false), SLOW);
    expect(auth.status.value).toBe('unauthenticated');

    await auth.loginWithRedirect();
    expect(seen.navigations).toHaveLength(1);
    expect(auth.status.value).toBe('redirecting');
    app.unmount();
  });

  it('lets a router guard wait for isLoading to turn false', async () => {
    const plugin = createAuth(pageClient(devIdp()).options);
    const router = createRouter({
      history: createWebHistory(),
      routes: [{ path: '/', component: PublicPage }],
    });
    const seenInGuard: boolean[] = [];
    router.beforeEach(async () => {
      const { isLoading, isAuthenticated } = useAuth();
      if (isLoading.value) await new Promise((done) => watch(isLoading, done, { once: true }));
      seenInGuard.push(isAuthenticated.value);
      return true;
    });
    const app = createApp(AppShell).use(plugin).use(router);
    app.mount(document.createElement('div'));
    await vi.waitFor(() => expect(seenInGuard).toEqual([false]), SLOW);
    await router.isReady();
    app.unmount();
  });
});
