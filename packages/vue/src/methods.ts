import { GrantflowError, loginWithInvitation, type AuthClient } from '@grantflow/core';
import { shallowRef, type ShallowRef } from 'vue';

/**
 * The app's record of its last failed call, as auth0-vue's `error` keeps one: a rejection of a tracked
 * call (the client's `GrantflowError`) is recorded, and the next success of one clears it. The
 * snapshot's newer errors replace it (see `bindAppState`). A `TypeError` for a bad argument is a bug in
 * the caller, not an auth failure: it is rethrown without being recorded.
 */
export interface ErrorRecord {
  readonly error: Readonly<ShallowRef<GrantflowError | undefined>>;
  /** `call`, settled as it is (the same value, the same error), recording how it ended. */
  track<T>(call: Promise<T>): Promise<T>;
  clear(): void;
}

export function errorRecord(): ErrorRecord {
  const error = shallowRef<GrantflowError | undefined>();
  return {
    error,
    track: (call) =>
      call.then(
        (value) => {
          error.value = undefined;
          return value;
        },
        (failure: unknown) => {
          if (failure instanceof GrantflowError) error.value = failure;
          throw failure;
        },
      ),
    clear: () => void (error.value = undefined),
  };
}

/**
 * The client's methods, detached from `this` so they can be destructured. The ones auth0-vue tracks
 * (and `handleRedirectCallback`, `getUserInfo`, `getAccessTokenWithPopup`) go through `track`.
 */
export function bindMethods(client: AuthClient, { track }: Pick<ErrorRecord, 'track'>) {
  return {
    loginWithRedirect: (options?: Parameters<AuthClient['loginWithRedirect']>[0]) =>
      client.loginWithRedirect(options),
    handleRedirectCallback: (url?: string) => track(client.handleRedirectCallback(url)),
    getAccessToken: ((options) => track(client.getAccessToken(options))) as AuthClient['getAccessToken'],
    /** Call it straight from a click handler: the popup opens before anything is awaited. */
    loginWithPopup: (...args: Parameters<AuthClient['loginWithPopup']>) =>
      track(client.loginWithPopup(...args)),
    getAccessTokenWithPopup: (...args: Parameters<AuthClient['getAccessTokenWithPopup']>) =>
      track(client.getAccessTokenWithPopup(...args)),
    /** Accepts an Auth0 invitation link (default: this page's URL); resolves false when there is none. */
    loginWithInvitation: (url?: string | URL, options?: Parameters<AuthClient['loginWithRedirect']>[0]) =>
      loginWithInvitation(client, url ?? window.location.href, options),
    /** The ID token's claims, with the raw ID token as `__raw` (as auth0-vue's `idTokenClaims` carries). */
    getIdTokenClaims: () => client.getIdTokenClaims(),
    getUserInfo: () => track(client.getUserInfo()),
    /** A DPoP proof for a request the app makes itself (the client's `proof: dpop()` module). */
    createDpopProof: (request: Parameters<AuthClient['createDpopProof']>[0]) =>
      client.createDpopProof(request),
    checkSession: (options?: Parameters<AuthClient['checkSession']>[0]) =>
      track(client.checkSession(options)),
    logout: (options?: Parameters<AuthClient['logout']>[0]) => track(client.logout(options)),
  };
}

export type AuthMethods = ReturnType<typeof bindMethods>;
