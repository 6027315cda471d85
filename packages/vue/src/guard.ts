import type { LoginOptions } from './client.js';
import { useAuthClient, useAuthReady } from './inject.js';
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
    await useAuthReady();
    if (client.getSnapshot().isAuthenticated) return true;
    const extra =
      typeof options.loginOptions === 'function' ? options.loginOptions(to) : options.loginOptions;
    // A login that cannot start (IdP unreachable...) is in the snapshot's `error`; the visitor stays put.
    await client.loginWithRedirect({ ...extra, appState: { returnTo: to.fullPath } }).catch(() => undefined);
    return false;
  };
}
