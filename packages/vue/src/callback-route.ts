import { CALLBACK_PARAMS } from '@grantflow/core/internal';
import type { App } from 'vue';
import { hrefOf, routerOf } from './router.js';
import type { ClientStartup } from './startup.js';

/**
 * Once the callback is handled, the route still showing it is replaced by the same route without the
 * parameters the core removed from the address bar: the app never sees the one-time code, a
 * `push({ query: { ...route.query } })` cannot write it back, and no history entry is added.
 */
export async function leaveCallbackRoute(app: App, startup: Partial<ClientStartup>): Promise<void> {
  const router = routerOf(app);
  if (!router) return;
  // A first navigation still loading its page (a lazy route component) writes its address when it ends.
  await router.isReady().catch(() => undefined);
  const { path, query, hash, fullPath } = router.currentRoute.value;
  if (hrefOf(fullPath, router) !== startup.callbackHref) return;
  const clean = {
    path,
    query: Object.fromEntries(Object.entries(query).filter(([name]) => !CALLBACK_PARAMS.includes(name))),
    hash,
  };
  // The guard lets this clean-up through (a failed callback blocks other navigations); then no longer.
  startup.callbackHref = hrefOf(router.resolve(clean).fullPath, router);
  try {
    await router.replace(clean);
  } finally {
    startup.callbackHref = undefined;
  }
}
