import { createAuthClient, type AuthClientOptions } from '@grantflow/core';
import { shallowRef, type App } from 'vue';
import type { AuthClientLike, AuthSnapshot } from './client.js';
import { authClientKey, authReadyKey, authStartingKey } from './keys.js';
import { bindMethods, bindSnapshot, isServer, type AuthMethods } from './state.js';

export interface AuthPluginOptions {
  /**
   * Runs after a successful redirect callback. Default: when vue-router is installed, replace the
   * route with `appState.returnTo` (else auth0-vue's `appState.target`; an in-app path) or `/`.
   */
  onRedirectCallback?: (appState: unknown, app: App) => unknown;
  /** Leave the redirect callback to the app (it calls `handleRedirectCallback()` itself). */
  skipRedirectCallback?: boolean;
  /**
   * Restore the session on install when the URL is not a callback (stored refresh token, else a silent
   * authorization). Default true.
   */
  checkSession?: boolean;
}

export interface AuthPlugin {
  /** The client the plugin provides; usable outside components (API modules, router setup). */
  readonly client: AuthClientLike;
  /**
   * Settles once the first session check (or callback exchange) after `install` is over; never
   * rejects (failures are in the snapshot's `error`). `await auth.ready` before mounting or routing.
   */
  readonly ready: Promise<void>;
  /** Returns `ready` too. */
  install(app: App): Promise<void>;
}

/** `this.$auth` in the Options API: the snapshot fields (reactive in templates) and the methods. */
export type GlobalAuth = Readonly<AuthSnapshot> & AuthMethods & { readonly client: AuthClientLike };

declare module 'vue' {
  interface ComponentCustomProperties {
    $auth: GlobalAuth;
  }
}

function isClient(value: AuthClientLike | AuthClientOptions): value is AuthClientLike {
  return typeof (value as Partial<AuthClientLike>).getSnapshot === 'function';
}

/**
 * `returnTo`, else auth0-vue's `target` (apps moving from it keep their `appState`). Only an in-app
 * absolute path is followed, never another origin (`//evil.example`, `/\\evil.example`).
 */
function returnPath(appState: unknown): string {
  const state = appState as { returnTo?: unknown; target?: unknown } | null | undefined;
  const returnTo = state?.returnTo ?? state?.target;
  return typeof returnTo === 'string' && /^\/(?![/\\])/.test(returnTo) ? returnTo : '/';
}

function followReturnTo(appState: unknown, app: App): unknown {
  const router = (app.config.globalProperties as { $router?: { replace(to: string): unknown } }).$router;
  return router?.replace(returnPath(appState));
}

function globalAuth(client: AuthClientLike, snapshot: { readonly value: AuthSnapshot }): GlobalAuth {
  const auth = { client, ...bindMethods(client) } as GlobalAuth;
  for (const key of Object.keys(client.getSnapshot()) as (keyof AuthSnapshot)[]) {
    Object.defineProperty(auth, key, { enumerable: true, get: () => snapshot.value[key] });
  }
  return auth;
}

/**
 * `ready`, and `starting` (read by `isLoading`) true until it settles. The flag drops before `ready`
 * resolves, so code after `await ready` sees `isLoading` false; without start-up work both are settled
 * at once.
 */
function startup() {
  const starting = shallowRef(false);
  let settle: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (settle = resolve));
  const finish = () => {
    starting.value = false;
    settle();
  };
  return {
    ready,
    starting,
    track(work: Promise<void> | undefined) {
      starting.value = work !== undefined;
      if (work) void work.then(finish, finish);
      else finish();
    },
  };
}

/**
 * The Vue plugin: one core client for the app, provided to `useAuth()` and friends. In the browser,
 * install completes a redirect callback when the URL is ours, or else restores the session.
 */
export function createAuth(
  clientOrOptions: AuthClientLike | AuthClientOptions,
  options: AuthPluginOptions = {},
): AuthPlugin {
  const owned = !isClient(clientOrOptions);
  const client = isClient(clientOrOptions) ? clientOrOptions : createAuthClient(clientOrOptions);
  const { ready, starting, track } = startup();
  return {
    client,
    ready,
    install(app) {
      track(isServer() ? undefined : start(app));
      const { snapshot, stop } = bindSnapshot(client, starting);
      app.provide(authClientKey, client);
      app.config.globalProperties.$auth = globalAuth(client, snapshot);
      app.provide(authReadyKey, ready);
      app.provide(authStartingKey, starting);
      app.onUnmount(() => {
        stop();
        if (owned) client.destroy();
      });
      return ready;
    },
  };

  /** The start-up work of a page load in the browser, or undefined when there is none. */
  function start(app: App): Promise<void> | undefined {
    const href = window.location.href;
    // The parent page reads a silent authorization's answer and spends its transaction.
    if (client.isSilentCallback(href)) return undefined;
    if (options.skipRedirectCallback || !client.isCallbackUrl(href)) {
      if (options.checkSession === false) return undefined;
      // Failures end up in the snapshot's `error`; there is nobody to rethrow them to.
      return client.checkSession().catch(() => undefined);
    }
    // A sign-in popup's answer goes to the window that opened it, which spends its transaction.
    const forwarded = client.forwardPopupCallback?.(href).catch(() => false) ?? Promise.resolve(false);
    return forwarded.then((sent) => (sent ? undefined : completeCallback(app, href)));
  }

  function completeCallback(app: App, href: string): Promise<void> {
    const exchanged = client.handleRedirectCallback(href);
    // Navigation waits for the exchange, and guards wait for `ready`: settle it first, or a guarded
    // returnTo would wait for itself.
    void exchanged.then(
      ({ appState }) => (options.onRedirectCallback ?? followReturnTo)(appState, app),
      () => undefined,
    );
    return exchanged.then(
      () => undefined,
      () => undefined,
    );
  }
}
