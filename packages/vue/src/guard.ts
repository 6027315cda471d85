import type { App } from 'vue';
import { checkOption } from './check-option.js';
import type { LoginOptions } from './client.js';
import { useAppAuthState, useAuthClient } from './inject.js';
import { hrefOf, routerOf } from './router.js';
import { callbackErrorOf, isStartupCallback } from './startup.js';
import { isServer } from './state.js';

/** Callback errors of a login transaction unknown (spent, another tab's) or expired. */
const STALE = new Set<string>(['state_mismatch', 'missing_transaction']);

/**
 * What the guard reads of vue-router's route. Structural, so an app without vue-router (an optional
 * peer) compiles against these types; vue-router's `RouteLocationNormalized` is one.
 */
export interface GuardRoute {
  fullPath: string;
}

/** Login options the guard adds; an `appState` object keeps its fields next to the route it remembers. */
export type GuardLoginOptions = Omit<LoginOptions, 'appState'> & { appState?: Record<string, unknown> };

export interface AuthGuardOptions<Route extends GuardRoute = GuardRoute> {
  /**
   * auth0-vue's option: the app whose plugin the guard uses. Without it, the guard finds the plugin
   * of the app running the navigation (vue-router runs guards in its app's injection context); with
   * it, also when called outside any (a guard invoked by hand).
   */
  app?: App;
  /** Extra login options (e.g. `authorizationParams`), fixed or per route (nothing: none for that route). */
  loginOptions?: GuardLoginOptions | ((to: Route) => GuardLoginOptions | undefined);
  /** auth0-vue's name for `loginOptions`, which wins when both are given. */
  redirectLoginOptions?: GuardLoginOptions | ((to: Route) => GuardLoginOptions | undefined);
}

/** Where a navigation comes from: vue-router's start location (the page load's) matches no route. */
export interface GuardFrom {
  matched?: readonly unknown[];
}

/** A navigation guard vue-router accepts in `beforeEnter` and `router.beforeEach`. */
export type AuthGuard<Route extends GuardRoute = GuardRoute> = (
  to: Route,
  from?: GuardFrom,
) => Promise<boolean>;

/**
 * A vue-router guard (`beforeEnter` or `router.beforeEach`): signed-in visits pass; others start a
 * login whose `appState.returnTo` (and auth0-vue's `target`) is the requested route, which the plugin
 * navigates to after the callback. It waits for the plugin's start-up (callback or session check) before deciding.
 */
export function createAuthGuard<Route extends GuardRoute = GuardRoute>(app: App): AuthGuard<Route>;
export function createAuthGuard<Route extends GuardRoute = GuardRoute>(
  options?: AuthGuardOptions<Route>,
): AuthGuard<Route>;
export function createAuthGuard<Route extends GuardRoute = GuardRoute>(
  appOrOptions: App | AuthGuardOptions<Route> = {},
): AuthGuard<Route> {
  // auth0-vue's `createAuthGuard(app)`: the same as `{ app }`.
  const options: AuthGuardOptions<Route> = isApp(appOrOptions) ? { app: appOrOptions } : appOrOptions;
  checkOption("createAuthGuard's options", options, 'an object');
  if (options.app !== undefined && !isApp(options.app)) {
    throw new TypeError('app must be a Vue app (createApp())');
  }
  for (const name of ['loginOptions', 'redirectLoginOptions'] as const) {
    checkLoginOptions(name, options[name], 'an object or a function');
  }
  return async (to, from) => {
    // Nothing to redirect to during server-side rendering; the browser decides after hydration.
    if (isServer()) return true;
    // inject() only works before the first await.
    const { client, ready, app } = pluginOf(options.app);
    // This page load's callback goes through at once: waiting for its exchange would let the router write
    // `code` and `state` back after the core removed them, and a login from there could loop on an IdP
    // that answers the same error each time. So does the plugin's replacement of that route by its clean
    // address. Another address shaped like a callback is guarded as any.
    if (await isStartupCallback(client, hrefOf(to.fullPath, routerOf(app)))) return true;
    await ready;
    const { isAuthenticated, error } = client.getSnapshot();
    if (isAuthenticated) return true;
    // The page keeps showing why the callback failed when a new login would meet the same answer
    // (the IdP's or the token endpoint's). A stale callback (reloaded, bookmarked, another tab's) named
    // a login this page no longer has: a new login has its own, so a visit starts it. Not the page load's
    // own navigation (a route or guard redirecting the callback to a guarded page): where transactions
    // do not outlive the page, or the IdP garbles `state`, each load would start the next by itself.
    const pageLoad = !from?.matched?.length;
    const stale = STALE.has(error?.code ?? '') && !pageLoad;
    if (error !== undefined && error === callbackErrorOf(client) && !stale) return false;
    // A login that cannot start (IdP unreachable...) is in the snapshot's `error`; the visitor stays put.
    await client.loginWithRedirect(loginOptionsFor(to, options)).catch(() => undefined);
    return false;
  };
}

/** A ready guard, `createAuthGuard()`, as auth0-vue exports it: `beforeEnter: authGuard`. */
export const authGuard: AuthGuard = /* @__PURE__ */ createAuthGuard();

function isApp(value: unknown): value is App {
  const app = value as Partial<App> | null;
  return typeof app === 'object' && app !== null && typeof app.runWithContext === 'function';
}

/** The plugin of `app` when given (found in its injection context), else of the running navigation. */
function pluginOf(app: App | undefined) {
  const find = () => ({ client: useAuthClient(), ...useAppAuthState() });
  return app ? app.runWithContext(find) : find();
}

/**
 * The guard's login options for `to`. The route is remembered as `returnTo` and as auth0-vue's `target`
 * (an app completing the callback itself may read either); a path the app gave in its `appState`
 * (auth0-vue lets its `target` win) is both.
 */
function loginOptionsFor<Route extends GuardRoute>(
  to: Route,
  options: AuthGuardOptions<Route>,
): LoginOptions {
  const name = options.loginOptions ? 'loginOptions' : 'redirectLoginOptions';
  const given = options[name];
  // Checked here, not at createAuthGuard: what a function gives is known only for a route (nothing: no extras).
  const extra =
    typeof given === 'function' ? checkLoginOptions(`${name}(to)`, given(to), 'an object') : given;
  const appState = extra?.appState ?? {};
  const path = appState.returnTo ?? appState.target ?? to.fullPath;
  return {
    ...extra,
    appState: { ...appState, returnTo: appState.returnTo ?? path, target: appState.target ?? path },
  };
}

/** `value`, checked to be `kinds` (or undefined when optional), with an `appState` that is an object if any. */
function checkLoginOptions<T>(name: string, value: T, kinds: string): T {
  checkOption(name, value, kinds);
  checkOption(`${name}.appState`, (value as GuardLoginOptions | undefined)?.appState, 'an object');
  return value;
}
