import { computed, type ComputedRef, type ShallowRef } from 'vue';
import type { AuthClientLike, AuthSnapshot, RenewalEvent } from './client.js';
import { useAppAuthState, useAuthClient } from './inject.js';
import { bindMethods, type AuthMethods } from './state.js';

export type UseAuthReturn = {
  readonly [K in keyof AuthSnapshot]: ComputedRef<AuthSnapshot[K]>;
} & AuthMethods & {
    /** The whole snapshot, for watching several fields at once. */
    readonly snapshot: Readonly<ShallowRef<AuthSnapshot>>;
    readonly client: AuthClientLike;
    /**
     * Settles when the plugin's start-up (callback exchange or session check) is over: await it before
     * acting on `isAuthenticated` at app start, or a guard sees the pre-check state.
     */
    readonly ready: Promise<void>;
    /** The latest automatic renewal event (`renewed` / `renew_failed`), with the `renewal` module. */
    readonly renewal: Readonly<ShallowRef<RenewalEvent | undefined>>;
  };

/**
 * Reactive auth state and methods of the app's client. The state is the app's one subscription to the
 * core's `subscribe()` (made by the plugin, ended when the app unmounts), so it stays live wherever
 * `useAuth()` is called: in `setup()`, a router guard or `app.runWithContext()`.
 */
export function useAuth(): UseAuthReturn {
  const client = useAuthClient();
  const { snapshot, renewal, ready } = useAppAuthState();
  const field = <K extends keyof AuthSnapshot>(key: K) => computed(() => snapshot.value[key]);
  return {
    status: field('status'),
    isLoading: field('isLoading'),
    isAuthenticated: field('isAuthenticated'),
    user: field('user'),
    idTokenClaims: field('idTokenClaims'),
    accessTokenExpiresAt: field('accessTokenExpiresAt'),
    scope: field('scope'),
    tokenType: field('tokenType'),
    error: field('error'),
    snapshot: snapshot as Readonly<ShallowRef<AuthSnapshot>>,
    client,
    ready,
    renewal,
    ...bindMethods(client),
  };
}
