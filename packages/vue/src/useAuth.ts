import {
  computed,
  getCurrentScope,
  onScopeDispose,
  shallowReadonly,
  type ComputedRef,
  type ShallowRef,
} from 'vue';
import type { AuthClientLike, AuthSnapshot } from './client.js';
import { useAuthClient } from './inject.js';
import { bindMethods, bindSnapshot, type AuthMethods } from './state.js';

export type UseAuthReturn = {
  readonly [K in keyof AuthSnapshot]: ComputedRef<AuthSnapshot[K]>;
} & AuthMethods & {
    /** The whole snapshot, for watching several fields at once. */
    readonly snapshot: Readonly<ShallowRef<AuthSnapshot>>;
    readonly client: AuthClientLike;
  };

/**
 * Reactive auth state and methods of the app's client. State is pushed by the core's `subscribe()`;
 * the subscription ends with the calling component (or effect scope).
 */
export function useAuth(): UseAuthReturn {
  const client = useAuthClient();
  const { snapshot, stop } = bindSnapshot(client);
  // Outside an effect scope (e.g. app.runWithContext) nobody could end the subscription: read once.
  if (getCurrentScope()) onScopeDispose(stop);
  else stop();
  const field = <K extends keyof AuthSnapshot>(key: K) => computed(() => snapshot.value[key]);
  return {
    status: field('status'),
    isLoading: field('isLoading'),
    isAuthenticated: field('isAuthenticated'),
    user: field('user'),
    idTokenClaims: field('idTokenClaims'),
    accessTokenExpiresAt: field('accessTokenExpiresAt'),
    scope: field('scope'),
    error: field('error'),
    snapshot: shallowReadonly(snapshot),
    client,
    ...bindMethods(client),
  };
}
