import { computed, getCurrentScope, onScopeDispose, type ComputedRef, type ShallowRef } from 'vue';
import type { AuthClient } from '@grantflow/core';
import type { AuthSnapshot, RenewalEvent } from './client.js';
import { useAppAuthState, useAuthClient } from './inject.js';
import type { AuthMethods } from './methods.js';

export type UseAuthReturn = {
  readonly [K in keyof AuthSnapshot]: ComputedRef<AuthSnapshot[K]>;
} & AuthMethods & {
    /** The whole snapshot, for watching several fields at once. */
    readonly snapshot: Readonly<ShallowRef<AuthSnapshot>>;
    readonly client: AuthClient;
    /**
     * Settles when the plugin's start-up (callback exchange or session check) is over: await it before
     * acting on `isAuthenticated` at app start, or a guard sees the pre-check state.
     */
    readonly ready: Promise<void>;
    /** The latest automatic renewal event (`renewed` / `renew_failed`), with the `renewal` module. */
    readonly renewal: Readonly<ShallowRef<RenewalEvent | undefined>>;
  };

/**
 * Reactive auth state and methods of the app's client. The state is pushed by the app's one
 * subscription to the core's `subscribe()`, held while the effect scope that called `useAuth()` (a
 * component's, an `effectScope()`) lives. Called outside any scope (a router guard,
 * `app.runWithContext()`), nothing would end it: the refs then stay live until the app unmounts.
 */
export function useAuth(): UseAuthReturn {
  const client = useAuthClient();
  const { snapshot, renewal, ready, hold, holdForApp, methods } = useAppAuthState();
  if (getCurrentScope()) onScopeDispose(hold());
  else holdForApp();
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
    ...methods,
  };
}
