import { CALLBACK_PARAMS } from '@grantflow/core/internal';
import type { App } from 'vue';
import { hrefOf, routerOf, type RouterLike, type RouteTarget } from './router.js';
import type { ClientStartup } from './startup.js';

/**
 * Once the callback is handled, the route still showing it is replaced by the same route without the
 * parameters the core removed from the address bar: the app never sees the one-time code, a
 * `push({ query: { ...route.query } })` cannot write it back, and no history entry is added. Then, when
 * given (a failed callback's `errorPath`), that clean route is replaced by `next`.
 */
export async function leaveCallbackRoute(
  app: App,
  startup: Partial<ClientStartup>,
  next?: string,
): Promise<void> {
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
  // A stopped clean-up (the app's own guard) leaves the route where it is: no further navigation.
  const failure = await replaceThroughGuard(router, startup, clean);
  if (next !== undefined && failure === undefined) await replaceThroughGuard(router, startup, next);
}

/**
 * The guard lets this navigation through (a failed callback blocks others), then no longer. Resolves
 * with vue-router's navigation failure, if any.
 */
async function replaceThroughGuard(
  router: RouterLike,
  startup: Partial<ClientStartup>,
  to: RouteTarget,
): Promise<unknown> {
  startup.callbackHref = hrefOf(router.resolve(to).fullPath, router);
  try {
    return await router.replace(to);
  } finally {
    startup.callbackHref = undefined;
  }
}
