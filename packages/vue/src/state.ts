import { shallowRef, type ShallowRef } from 'vue';
import type { AuthClientLike, AuthSnapshot } from './client.js';

/** True during server-side rendering: nothing may then touch browser globals or keep subscriptions. */
export function isServer(): boolean {
  return typeof window === 'undefined';
}

/**
 * Bridges the core's push-based snapshot into a shallowRef. On the server the snapshot is read once:
 * a render never outlives the request, and a subscription there would only leak.
 */
export function bindSnapshot(client: AuthClientLike): {
  snapshot: ShallowRef<AuthSnapshot>;
  stop: () => void;
} {
  const snapshot = shallowRef(client.getSnapshot());
  if (isServer()) return { snapshot, stop: () => undefined };
  const stop = client.subscribe((next) => {
    snapshot.value = next;
  });
  return { snapshot, stop };
}

/** The client's methods, detached from `this` so they can be destructured. */
export function bindMethods(client: AuthClientLike) {
  return {
    loginWithRedirect: (options?: Parameters<AuthClientLike['loginWithRedirect']>[0]) =>
      client.loginWithRedirect(options),
    handleRedirectCallback: (url?: string) => client.handleRedirectCallback(url),
    getAccessToken: (options?: Parameters<AuthClientLike['getAccessToken']>[0]) =>
      client.getAccessToken(options),
    checkSession: () => client.checkSession(),
    logout: (options?: Parameters<AuthClientLike['logout']>[0]) => client.logout(options),
  };
}

export type AuthMethods = ReturnType<typeof bindMethods>;
