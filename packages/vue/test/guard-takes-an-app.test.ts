import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createApp } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { authGuard, createAuthGuard, MissingAuthPluginError, type AuthGuardOptions } from '../src/index.js';
import { createTestingAuth } from '../src/testing.js';
import { AppShell, PrivatePage, PublicPage } from './components.js';

/** An app with the testing plugin installed, signed out; nothing mounted, no router. */
function appSignedOut() {
  const auth = createTestingAuth({ authenticated: false });
  const app = createApp(PublicPage).use(auth);
  return { app, auth };
}

describe("createAuthGuard takes auth0-vue's app argument", () => {
  it('createAuthGuard(app) finds that app’s plugin when called outside any injection context', async () => {
    const { app, auth } = appSignedOut();
    const guard = createAuthGuard(app);
    await expect(guard({ fullPath: '/private/1' })).resolves.toBe(false);
    expect(auth.client.calls.loginWithRedirect).toEqual([
      { appState: { returnTo: '/private/1', target: '/private/1' } },
    ]);
    // Without the app, the same call has no plugin to find.
    await expect(createAuthGuard()({ fullPath: '/private/1' })).rejects.toThrow(MissingAuthPluginError);
  });

  it('createAuthGuard({ app, redirectLoginOptions }) signs in with those options', async () => {
    const { app, auth } = appSignedOut();
    const guard = createAuthGuard({ app, redirectLoginOptions: { appState: { target: '/x' } } });
    await expect(guard({ fullPath: '/private/2' })).resolves.toBe(false);
    expect(auth.client.calls.loginWithRedirect).toEqual([{ appState: { returnTo: '/x', target: '/x' } }]);
  });

  it('lets a signed-in visit of that app through', async () => {
    const app = createApp(PublicPage).use(createTestingAuth());
    await expect(createAuthGuard(app)({ fullPath: '/private/3' })).resolves.toBe(true);
  });

  it.each([[42], ['main'], [null], [{}]])('refuses %j as app with a TypeError', (app) => {
    expect(() => createAuthGuard({ app } as unknown as AuthGuardOptions)).toThrow(
      new TypeError('app must be a Vue app (createApp())'),
    );
  });
});

describe('authGuard, the ready guard', () => {
  function visit(signedIn: boolean) {
    const auth = createTestingAuth({ authenticated: signedIn });
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', component: PublicPage },
        { path: '/private/:id', component: PrivatePage, beforeEnter: authGuard },
      ],
    });
    mount(AppShell, { global: { plugins: [auth, router] } });
    return { auth, router };
  }

  it('starts a login that returns to the route for a signed-out visit', async () => {
    const { auth, router } = visit(false);
    await router.push('/');
    await router.push('/private/7?tab=notes');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/');
    expect(auth.client.calls.loginWithRedirect).toEqual([
      { appState: { returnTo: '/private/7?tab=notes', target: '/private/7?tab=notes' } },
    ]);
  });

  it('lets a signed-in visit through', async () => {
    const { auth, router } = visit(true);
    await router.push('/private/7');
    expect(router.currentRoute.value.fullPath).toBe('/private/7');
    expect(auth.client.calls.loginWithRedirect).toEqual([]);
  });
});
