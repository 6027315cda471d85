import type { LoginOptions } from './client.js';
import { useAppAuthState, useAuthClient } from './inject.js';
import { hrefOf, routerOf } from './router.js';
import { callbackErrorOf, isStartupCallback } from './startup.js';
import { isServer } from './state.js';

/**
 * What the guard reads of vue-router's route. Structural, so an app without vue-router (an optional
 * peer) compiles against these types; vue-router's `RouteLocationNormalized` is one.
 */
export interface GuardRoute {
  fullPath: string;
}

export interface AuthGuardOptions<Route extends GuardRoute = GuardRoute> {
  /** Extra login options (e.g. `authorizationParams`), fixed or per route. */
  loginOptions?: Omit<LoginOptions, 'appState'> | ((to: Route) => Omit<LoginOptions, 'appState'>);
}

/** A navigation guard vue-router accepts in `beforeEnter` and `router.beforeEach`. */
export type AuthGuard<Route extends GuardRoute = GuardRoute> = (to: Route) => Promise<boolean>;

/**
 * A vue-router guard (`beforeEnter` or `router.beforeEach`): signed-in visits pass; others start a
 * login whose `appState.returnTo` is the requested route, which the plugin navigates to after the
 * callback. It waits for the plugin's start-up (callback or session check) before deciding.
 */
export function createAuthGuard<Route extends GuardRoute = GuardRoute>(
  options: AuthGuardOptions<Route> = {},
): AuthGuard<Route> {
  return async (to) => {
    // Nothing to redirect to during server-side rendering; the browser decides after hydration.
    if (isServer()) return true;
    // inject() only works before the first await.
    const client = useAuthClient();
    const { ready, app } = useAppAuthState();
    // This page load's callback goes through at once: waiting for its exchange would let the router write
    // `code` and `state` back after the core removed them, and a login from there could loop on an IdP
    // that answers the same error each time. So does the plugin's replacement of that route by its clean
    // address. Another address shaped like a callback is guarded as any.
    if (isStartupCallback(client, hrefOf(to.fullPath, routerOf(app)))) return true;
    await ready;
    const { isAuthenticated, error } = client.getSnapshot();
    if (isAuthenticated) return true;
    // The page keeps showing why the callback failed; a new login would meet the same answer.
    if (error !== undefined && error === callbackErrorOf(client)) return false;
    const extra =
      typeof options.loginOptions === 'function' ? options.loginOptions(to) : options.loginOptions;
    // A login that cannot start (IdP unreachable...) is in the snapshot's `error`; the visitor stays put.
    await client.loginWithRedirect({ ...extra, appState: { returnTo: to.fullPath } }).catch(() => undefined);
    return false;
  };
}
