import { createAuthClient, type AuthClient, type AuthClientOptions } from '@grantflow/core';
import { checkTokenOptions } from '@grantflow/core/internal';
import type { App } from 'vue';
import { completeClient, type AuthClientLike, type AuthSnapshot, type RenewalEvent } from './client.js';
import {
  carriesCallback,
  completeCallback,
  inAppPath,
  pageHistory,
  type CallbackOptions,
} from './callback.js';
import { checkOption } from './check-option.js';
import { authAppStateKey, authClientKey, type AppAuthState } from './keys.js';
import { readiness, startOnce, type ClientStartup } from './startup.js';
import type { AuthMethods } from './methods.js';
import { bindAppState, clientOptionsHere, isServer } from './state.js';

export interface AuthPluginOptions {
  /**
   * Runs after a successful redirect callback. Default: when vue-router is installed, replace the
   * route with `appState.returnTo` (else auth0-vue's `appState.target`; an in-app path) or `/`.
   */
  onRedirectCallback?: (appState: unknown, app: App) => unknown;
  /**
   * auth0-vue's option: where a failed redirect callback leaves for when vue-router is installed (an
   * in-app path, replacing the callback's route). Default: the callback's route stays, without its
   * parameters. The error is in the snapshot's `error` either way.
   */
  errorPath?: string;
  /** Leave the redirect callback to the app (it calls `handleRedirectCallback()` itself). */
  skipRedirectCallback?: boolean;
  /**
   * Restore the session on install when the URL is not a callback (stored refresh token, else a silent
   * authorization). Default true; the options of `checkSession(options)` (those of `getAccessToken`)
   * restore with the token they name, e.g. another API than the default.
   */
  checkSession?: boolean | NonNullable<Parameters<AuthClient['checkSession']>[0]>;
}

export interface AuthPlugin {
  /**
   * The client the plugin provides; usable outside components (API modules, router setup). A client
   * given to `createAuth` that lacks some of the core's methods is provided completed (see `authClientKey`).
   */
  readonly client: AuthClient;
  /**
   * Settles once the first session check (or callback exchange) after `install` is over; never
   * rejects (failures are in the snapshot's `error`). `await auth.ready` before mounting or routing.
   */
  readonly ready: Promise<void>;
  /** Returns `ready` too. */
  install(app: App): Promise<void>;
}

/**
 * `this.$auth` in the Options API: what `useAuth()` returns, with plain values (reactive in templates
 * and computed properties) where it has refs.
 */
export type GlobalAuth = Readonly<AuthSnapshot> &
  AuthMethods & {
    readonly client: AuthClient;
    readonly ready: Promise<void>;
    readonly snapshot: AuthSnapshot;
    readonly renewal: RenewalEvent | undefined;
  };

declare module 'vue' {
  interface ComponentCustomProperties {
    $auth: GlobalAuth;
  }
}

function isClient(value: AuthClientLike | AuthClientOptions): value is AuthClientLike {
  return typeof (value as Partial<AuthClientLike>).getSnapshot === 'function';
}

function globalAuth(
  client: AuthClient,
  { snapshot, renewal, ready, holdForApp, methods }: AppAuthState,
): GlobalAuth {
  const auth = { client, ready, ...methods } as GlobalAuth;
  // A component reading `$auth` has no scope of its own to end the subscription with.
  const live = () => {
    holdForApp();
    return snapshot.value;
  };
  const getters: Record<string, () => unknown> = { snapshot: live, renewal: () => renewal.value };
  for (const key of Object.keys(client.getSnapshot()) as (keyof AuthSnapshot)[]) {
    getters[key] = () => live()[key];
  }
  for (const [key, get] of Object.entries(getters))
    Object.defineProperty(auth, key, { enumerable: true, get });
  return auth;
}

/** The start-up work of a page load in the browser, or undefined when there is none. */
function start(
  client: AuthClient,
  options: AuthPluginOptions & CallbackOptions,
  app: () => App,
  startup: Partial<ClientStartup>,
): Promise<void> | undefined {
  const href = window.location.href;
  // The parent page reads a silent authorization's answer and spends its transaction.
  if (client.isSilentCallback(href)) return undefined;
  // Failures end up in the snapshot's `error`; there is nobody to rethrow them to.
  const { checkSession } = options;
  const restore = () =>
    checkSession === false
      ? undefined
      : client.checkSession(checkSession === true ? undefined : checkSession).catch(() => undefined);
  if (options.skipRedirectCallback) return restore();
  if (client.isCallbackUrl(href)) return callbackPage(client, options, href, app, startup);
  // A login that named its own redirect_uri comes back elsewhere: the core says whether this is its answer.
  const asking = carriesCallback(href) && client.isLoginCallback(href);
  if (!asking) return restore();
  // An app's own client object that fails to answer (a rejection): the page load restores as usual.
  const deciding = asking.then(
    (ours) => {
      // The guard lets this very address through once the core says it is that answer.
      if (ours) startup.callbackHref = href;
      return ours;
    },
    () => false,
  );
  startup.deciding = deciding;
  return deciding.then((ours) => (ours ? completeCallback(client, options, href, app, startup) : restore()));
}

/** The redirect callback page: a sign-in popup's answer goes to its opener, any other is completed here. */
function callbackPage(
  client: AuthClient,
  options: AuthPluginOptions & CallbackOptions,
  href: string,
  app: () => App,
  startup: Partial<ClientStartup>,
): Promise<void> {
  // The guard lets this very address through (and no other that merely looks like a callback).
  startup.callbackHref = href;
  // A sign-in popup's answer goes to the window that opened it, which spends its transaction.
  const forwarded = client.forwardPopupCallback(href).catch(() => false);
  return forwarded.then((sent) => (sent ? undefined : completeCallback(client, options, href, app, startup)));
}

/** Configuration, not data from the URL: a wrong one fails here rather than being ignored after a failure. */
function checkPluginOptions(clientOrOptions: unknown, options: AuthPluginOptions): void {
  checkOption("createAuth's optionsOrClient", clientOrOptions, 'an object', false);
  checkOption("createAuth's pluginOptions", options, 'an object');
  checkOption('onRedirectCallback', options.onRedirectCallback, 'a function');
  checkOption('skipRedirectCallback', options.skipRedirectCallback, 'a boolean');
  checkOption('checkSession', options.checkSession, 'a boolean or an object');
  // Its members as the core checks them: refused there, the start-up would restore no session at all.
  if (typeof options.checkSession === 'object') checkTokenOptions(options.checkSession, 'checkSession.');
  if (options.errorPath !== undefined && !inAppPath(options.errorPath)) {
    throw new TypeError('errorPath must be a path in the app, such as /error');
  }
}

/**
 * The Vue plugin: one core client for the app, provided to `useAuth()` and friends. In the browser,
 * install completes a redirect callback when the URL is ours, or else restores the session; once per
 * client, however many apps install it. A client it created lives while an app uses it: it is
 * destroyed when the last one unmounts (after the start-up work), and created anew by a later install.
 */
export function createAuth(
  clientOrOptions: AuthClientLike | AuthClientOptions,
  options: AuthPluginOptions = {},
): AuthPlugin {
  checkPluginOptions(clientOrOptions, options);
  const given = isClient(clientOrOptions) ? completeClient(clientOrOptions) : undefined;
  // Without vue-router, where the return path is written: the history the client was given, if any.
  const history = () => pageHistory(given ? undefined : (clientOrOptions as AuthClientOptions).environment);
  const create = () => given ?? createAuthClient(clientOptionsHere(clientOrOptions as AuthClientOptions));
  let client = create();
  let boot = readiness();
  let destroyed = false;
  const apps = new Set<App>();
  const release = (released: AuthClient, startup: ClientStartup | undefined) => {
    const destroy = () => {
      if (apps.size > 0 || client !== released || destroyed) return;
      released.destroy();
      destroyed = true;
    };
    if (startup && !startup.done) void startup.work.then(destroy);
    else destroy();
  };
  return {
    get client() {
      return client;
    },
    get ready() {
      return boot.ready;
    },
    install(app) {
      if (destroyed) [client, boot, destroyed] = [create(), readiness(), false];
      const installed = client;
      apps.add(app);
      const live = () => (apps.has(app) ? app : ([...apps].at(-1) ?? app));
      const startup = isServer()
        ? undefined
        : startOnce(installed, (record) =>
            start(installed, { ...options, history: history() }, live, record),
          );
      boot.track(startup);
      const state = bindAppState(installed, boot.starting, boot.ready, app, options.checkSession !== false);
      app.provide(authClientKey, installed);
      app.provide(authAppStateKey, state);
      app.config.globalProperties.$auth = globalAuth(installed, state);
      app.onUnmount(() => {
        state.stop();
        apps.delete(app);
        if (!given) release(installed, startup);
      });
      return boot.ready;
    },
  };
}
