import { computed, shallowReadonly, shallowRef, type App, type Ref } from 'vue';
import type { AuthClient, AuthClientOptions, Environment, GrantflowError } from '@grantflow/core';
import type { AuthSnapshot, RenewalEvent } from './client.js';
import type { AppAuthState } from './keys.js';
import { bindMethods, errorRecord } from './methods.js';

/** True during server-side rendering: nothing may then touch browser globals or keep subscriptions. */
export function isServer(): boolean {
  return typeof window === 'undefined';
}

/**
 * The options of a client the plugin creates: on the server, with an environment that has no browser
 * (the app's own members still win), so the core reads none of its globals. Timers and WebCrypto stay
 * the runtime's.
 */
export function clientOptionsHere(options: AuthClientOptions): AuthClientOptions {
  if (!isServer()) return options;
  const none = {
    document: undefined,
    location: undefined,
    window: undefined,
    history: undefined,
    locks: undefined,
    BroadcastChannel: undefined,
    sessionStorage: undefined,
    localStorage: undefined,
    indexedDB: undefined,
    framed: false,
  } satisfies Partial<Environment>;
  return { ...options, environment: { ...none, ...options.environment } };
}

/**
 * A subscription shared by its holders: started by the first `hold()`, ended when the last holder
 * releases it or at `close()` (the app's unmount), whichever comes first.
 */
function sharedSubscription(start: () => () => void) {
  let holders = 0;
  let stop: (() => void) | undefined;
  let closed = false;
  return {
    hold(): () => void {
      if (closed) return () => undefined;
      if (holders++ === 0) stop = start();
      let held = true;
      return () => {
        if (!held || closed) return;
        held = false;
        if (--holders > 0) return;
        stop?.();
        stop = undefined;
      };
    },
    close() {
      closed = true;
      stop?.();
    },
  };
}

/**
 * What the app sees of a core snapshot. `isLoading` is also true while `starting` (the plugin's start-up
 * work), as in auth0-vue: an app that logs in when it sees `!isLoading && !isAuthenticated` must not act
 * before the callback or session check is done. After that, a popup sign-in (`authorizing`) is not
 * loading: auth0-vue's apps render `<router-view v-if="!isLoading">` around the popup's button, and the
 * page must keep its state (`status` still says `authorizing`). `error` is the newest of the core's and
 * the one a bound call recorded.
 */
function appSnapshot(
  core: AuthSnapshot,
  starting: boolean,
  recorded: GrantflowError | undefined,
): AuthSnapshot {
  const isLoading = starting || (core.isLoading && core.status !== 'authorizing');
  const error = recorded ?? core.error;
  return isLoading === core.isLoading && error === core.error ? core : { ...core, isLoading, error };
}

/**
 * Bridges the core's push-based snapshot (and renewal events) into refs, once per app: every
 * `useAuth()`, guard and `$auth` of the app reads them, inside a component or not. The snapshot is
 * pushed while something holds it (see `AppAuthState.hold`), so a scope that ends leaves no listener
 * behind; a new first holder reads the snapshot it missed. On the server the snapshot is read once, and
 * is loading: a render never outlives the request, and a subscription there would only leak.
 */
export function bindAppState(
  client: AuthClient,
  starting: Readonly<Ref<boolean>>,
  ready: Promise<void>,
  app: App,
  serverLoading: boolean,
): AppAuthState & { stop: () => void } {
  const pushed = shallowRef(client.getSnapshot());
  const errors = errorRecord();
  // On the server as in the browser's first render, which hydrates the server's markup: loading when a
  // session check will follow there (`serverLoading`), the browser's start-up work still to come.
  const loading = () => starting.value || (serverLoading && isServer());
  const snapshot = computed(() => appSnapshot(pushed.value, loading(), errors.error.value));
  const push = (next: AuthSnapshot) => {
    // A new failure of the core's is newer than the one a call recorded: it replaces it.
    if (next.error && next.error !== pushed.value.error) errors.clear();
    pushed.value = next;
  };
  const renewal = shallowRef<RenewalEvent | undefined>();
  const methods = bindMethods(client, errors);
  const state = { snapshot, renewal: shallowReadonly(renewal), ready, app, methods };
  const none = () => undefined;
  if (isServer()) return { ...state, hold: () => none, holdForApp: none, stop: none };
  const subscription = sharedSubscription(() => {
    push(client.getSnapshot());
    return client.subscribe(push);
  });
  // Renewal events cannot be read again later: they are listened to for the app's whole life.
  const stopRenewal = client.onRenewal((event) => (renewal.value = event));
  let appHold: (() => void) | undefined;
  return {
    ...state,
    hold: subscription.hold,
    holdForApp: () => void (appHold ??= subscription.hold()),
    stop: () => {
      subscription.close();
      stopRenewal();
    },
  };
}
