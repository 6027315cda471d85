import { flushPromises, mount } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import { createAuthGuard, type AuthGuardOptions } from '../src/index.js';
import { createTestingAuth } from '../src/testing.js';
import { AppShell, PrivatePage, PublicPage } from './components.js';

/**
 * A signed-out visit from `/` to `/private/7?tab=notes`, guarded with `options` (as untyped config may
 * give them): the logins it started, the errors the navigation failed with, and the route it ended on.
 */
export async function signedOutVisit(options?: unknown) {
  const auth = createTestingAuth({ authenticated: false });
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: PublicPage },
      {
        path: '/private/:id',
        component: PrivatePage,
        beforeEnter: createAuthGuard(options as AuthGuardOptions),
      },
    ],
  });
  const failures: unknown[] = [];
  router.onError((error) => void failures.push(error));
  mount(AppShell, { global: { plugins: [auth, router] } });
  await router.push('/');
  await router.push('/private/7?tab=notes').catch(() => undefined);
  await flushPromises();
  return { logins: auth.client.calls.loginWithRedirect, failures, route: router.currentRoute.value.fullPath };
}
