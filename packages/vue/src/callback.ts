import { parseCallback, type AuthClient, type Environment } from '@grantflow/core';
import type { App } from 'vue';
import { leaveCallbackRoute } from './callback-route.js';
import { routerOf } from './router.js';
import type { ClientStartup } from './startup.js';

/** What the plugin's completion of a redirect callback reads of its options. */
export interface CallbackOptions {
  onRedirectCallback?: (appState: unknown, app: App) => unknown;
  /** Checked by `createAuth` to be an in-app path. */
  errorPath?: string;
  /**
   * The address bar the path to return to is written to without vue-router: the client's injected
   * `environment.history` when it was given one, else the page's (see `pageHistory`).
   */
  history?: Environment['history'];
}

/** Whether `href` carries an authorization response, as the core reads one: only then is it asked whose. */
export function carriesCallback(href: string): boolean {
  try {
    return parseCallback(href) !== undefined;
  } catch {
    // a repeated parameter: no callback the core would take
    return false;
  }
}

/** `path` when it is an in-app absolute path, never another origin (`//evil.example`, `/\\evil.example`). */
export function inAppPath(path: unknown): string | undefined {
  return typeof path === 'string' && /^\/(?![/\\])/.test(path) ? path : undefined;
}

/** `returnTo`, else auth0-vue's `target` (apps moving from it keep their `appState`), when an in-app path. */
function returnPath(appState: unknown): string | undefined {
  const state = appState as { returnTo?: unknown; target?: unknown } | null | undefined;
  return inAppPath(state?.returnTo ?? state?.target);
}

/**
 * Where the app goes after a successful callback: with vue-router, the route is replaced by the path
 * (else `/`); without it, the core has already removed the callback's parameters from the address bar,
 * and the path (when there is one) replaces that address, as auth0-vue does with `replaceState`.
 */
function followReturnTo(appState: unknown, app: App, history: CallbackOptions['history']): unknown {
  const path = returnPath(appState);
  const router = routerOf(app);
  if (router) return router.replace(path ?? '/');
  if (path !== undefined) history?.replaceState(history.state, '', path);
  return undefined;
}

/** The history a client's options inject (even none), else the page's; read only in the browser. */
export function pageHistory(environment: Partial<Environment> | undefined): Environment['history'] {
  return environment && 'history' in environment ? environment.history : window.history;
}

/**
 * An error after the callback (the app's `onRedirectCallback`, or the navigation to `returnTo`) has no
 * caller to reject: like an error in a component, it goes to the app's `errorHandler`, else the console.
 */
function reportError(app: App, error: unknown): void {
  const handler = app.config.errorHandler;
  if (!handler) return console.error(error);
  try {
    handler(error, null, 'onRedirectCallback (@grantflow/vue)');
  } catch (thrown) {
    console.error(thrown);
  }
}

/**
 * Completes the callback; the handler then runs with `app()` (an app still installed). `ready` settles
 * with the exchange, not after the handler: a guarded `returnTo` waits for `ready` and would wait for itself.
 * The route loses the callback's parameters before the app's own handler runs (so a navigation it starts
 * wins), after the default one's navigation (which leaves the callback unless a guard stops it). A failed
 * callback stays on its clean route, or leaves it for the app's `errorPath` (auth0-vue's option).
 */
export function completeCallback(
  client: AuthClient,
  options: CallbackOptions,
  href: string,
  app: () => App,
  startup: Partial<ClientStartup>,
): Promise<void> {
  const exchanged = client.handleRedirectCallback(href);
  const leave = () => leaveCallbackRoute(app(), startup);
  const { onRedirectCallback } = options;
  void exchanged
    .then(
      ({ appState }) =>
        onRedirectCallback
          ? leave().finally(() => onRedirectCallback(appState, app()))
          : Promise.resolve(followReturnTo(appState, app(), options.history)).finally(leave),
      () => leaveCallbackRoute(app(), startup, options.errorPath),
    )
    .catch((error: unknown) => reportError(app(), error));
  return exchanged.then(
    () => undefined,
    () => void (startup.callbackError = client.getSnapshot().error),
  );
}
