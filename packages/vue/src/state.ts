import { computed, shallowReadonly, shallowRef, type App, type Ref } from 'vue';
import {
  loginWithInvitation,
  type AuthClient,
  type AuthClientOptions,
  type Environment,
} from '@grantflow/core';
import type { RenewalEvent } from './client.js';
import type { AppAuthState } from './keys.js';

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
 * Bridges the core's push-based snapshot (and renewal events) into refs, once per app: every
 * `useAuth()`, guard and `$auth` of the app reads them, inside a component or not. The snapshot is
 * pushed while something holds it (see `AppAuthState.hold`), so a scope that ends leaves no listener
 * behind; a new first holder reads the snapshot it missed. On the server the snapshot is read once, and
 * is loading: a render never outlives the request, and a subscription there would only leak.
 * While `starting` (the plugin's start-up work) is true, `isLoading` is true too, as in auth0-vue: an
 * app that logs in when it sees `!isLoading && !isAuthenticated` must not act before the callback or
 * session check is done.
 */
export function bindAppState(
  client: AuthClient,
  starting: Readonly<Ref<boolean>>,
  ready: Promise<void>,
  app: App,
  serverLoading: boolean,
): AppAuthState & { stop: () => void } {
  const pushed = shallowRef(client.getSnapshot());
  // On the server as in the browser's first render, which hydrates the server's markup: loading when a
  // session check will follow there (`serverLoading`), the browser's start-up work still to come.
  const loading = () => starting.value || (serverLoading && isServer());
  const snapshot = computed(() =>
    loading() && !pushed.value.isLoading ? { ...pushed.value, isLoading: true } : pushed.value,
  );
  const renewal = shallowRef<RenewalEvent | undefined>();
  const state = { snapshot, renewal: shallowReadonly(renewal), ready, app };
  const none = () => undefined;
  if (isServer()) return { ...state, hold: () => none, holdForApp: none, stop: none };
  const subscription = sharedSubscription(() => {
    pushed.value = client.getSnapshot();
    return client.subscribe((next) => (pushed.value = next));
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

/** The client's methods, detached from `this` so they can be destructured. */
export function bindMethods(client: AuthClient) {
  return {
    loginWithRedirect: (options?: Parameters<AuthClient['loginWithRedirect']>[0]) =>
      client.loginWithRedirect(options),
    handleRedirectCallback: (url?: string) => client.handleRedirectCallback(url),
    getAccessToken: ((options) => client.getAccessToken(options)) as AuthClient['getAccessToken'],
    /** Call it straight from a click handler: the popup opens before anything is awaited. */
    loginWithPopup: (...args: Parameters<AuthClient['loginWithPopup']>) => client.loginWithPopup(...args),
    getAccessTokenWithPopup: (...args: Parameters<AuthClient['getAccessTokenWithPopup']>) =>
      client.getAccessTokenWithPopup(...args),
    /** Accepts an Auth0 invitation link (default: this page's URL); resolves false when there is none. */
    loginWithInvitation: (url?: string | URL, options?: Parameters<AuthClient['loginWithRedirect']>[0]) =>
      loginWithInvitation(client, url ?? window.location.href, options),
    /** The ID token's claims, with the raw ID token as `__raw` (as auth0-vue's `idTokenClaims` carries). */
    getIdTokenClaims: () => client.getIdTokenClaims(),
    getUserInfo: () => client.getUserInfo(),
    /** A DPoP proof for a request the app makes itself (the client's `proof: dpop()` module). */
    createDpopProof: (request: Parameters<AuthClient['createDpopProof']>[0]) =>
      client.createDpopProof(request),
    checkSession: (options?: Parameters<AuthClient['checkSession']>[0]) => client.checkSession(options),
    logout: (options?: Parameters<AuthClient['logout']>[0]) => client.logout(options),
  };
}

export type AuthMethods = ReturnType<typeof bindMethods>;
