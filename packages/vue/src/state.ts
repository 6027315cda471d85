import { computed, shallowReadonly, shallowRef, type App, type Ref } from 'vue';
import { loginWithInvitation, type AuthClient } from '@grantflow/core';
import type { AuthClientLike, RenewalEvent } from './client.js';
import type { AppAuthState } from './keys.js';

/** True during server-side rendering: nothing may then touch browser globals or keep subscriptions. */
export function isServer(): boolean {
  return typeof window === 'undefined';
}

/**
 * Bridges the core's push-based snapshot (and renewal events) into refs, once per app: every
 * `useAuth()`, guard and `$auth` of the app reads them, inside a component or not. On the server the
 * snapshot is read once: a render never outlives the request, and a subscription there would only leak.
 * While `starting` (the plugin's start-up work) is true, `isLoading` is true too, as in auth0-vue: an
 * app that logs in when it sees `!isLoading && !isAuthenticated` must not act before the callback or
 * session check is done.
 */
export function bindAppState(
  client: AuthClientLike,
  starting: Readonly<Ref<boolean>>,
  ready: Promise<void>,
  app: App,
): AppAuthState & { stop: () => void } {
  const pushed = shallowRef(client.getSnapshot());
  const snapshot = computed(() =>
    starting.value && !pushed.value.isLoading ? { ...pushed.value, isLoading: true } : pushed.value,
  );
  const renewal = shallowRef<RenewalEvent | undefined>();
  const state = { snapshot, renewal: shallowReadonly(renewal), ready, app };
  if (isServer()) return { ...state, stop: () => undefined };
  const stops = [
    client.subscribe((next) => (pushed.value = next)),
    client.onRenewal?.((event) => (renewal.value = event)),
  ];
  return { ...state, stop: () => stops.forEach((stop) => stop?.()) };
}

const missing = (name: string) =>
  Promise.reject(
    new TypeError(`${name} is not available: the client has no such method (update @grantflow/core)`),
  );

/** The client's methods, detached from `this` so they can be destructured. */
export function bindMethods(client: AuthClientLike) {
  return {
    loginWithRedirect: (options?: Parameters<AuthClientLike['loginWithRedirect']>[0]) =>
      client.loginWithRedirect(options),
    handleRedirectCallback: (url?: string) => client.handleRedirectCallback(url),
    getAccessToken: ((options) => client.getAccessToken(options)) as AuthClientLike['getAccessToken'],
    /** Call it straight from a click handler: the popup opens before anything is awaited. */
    loginWithPopup: (options?: Parameters<AuthClient['loginWithPopup']>[0]) =>
      client.loginWithPopup ? client.loginWithPopup(options) : missing('loginWithPopup'),
    getAccessTokenWithPopup: (options?: Parameters<AuthClient['getAccessTokenWithPopup']>[0]) =>
      client.getAccessTokenWithPopup
        ? client.getAccessTokenWithPopup(options)
        : missing('getAccessTokenWithPopup'),
    /** Accepts an Auth0 invitation link (default: this page's URL); resolves false when there is none. */
    loginWithInvitation: (url?: string | URL, options?: Parameters<AuthClientLike['loginWithRedirect']>[0]) =>
      loginWithInvitation(client, url ?? window.location.href, options),
    /** The ID token's claims, with the raw ID token as `__raw` (as auth0-vue's `idTokenClaims` carries). */
    getIdTokenClaims: (): ReturnType<AuthClient['getIdTokenClaims']> =>
      client.getIdTokenClaims ? client.getIdTokenClaims() : missing('getIdTokenClaims'),
    getUserInfo: (): ReturnType<AuthClient['getUserInfo']> =>
      client.getUserInfo ? client.getUserInfo() : missing('getUserInfo'),
    /** A DPoP proof for a request the app makes itself (the client's `proof: dpop()` module). */
    createDpopProof: (request: Parameters<AuthClient['createDpopProof']>[0]) =>
      client.createDpopProof ? client.createDpopProof(request) : missing('createDpopProof'),
    checkSession: () => client.checkSession(),
    logout: (options?: Parameters<AuthClientLike['logout']>[0]) => client.logout(options),
  };
}

export type AuthMethods = ReturnType<typeof bindMethods>;
