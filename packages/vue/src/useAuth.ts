import {
  computed,
  getCurrentScope,
  onScopeDispose,
  shallowReadonly,
  shallowRef,
  type ComputedRef,
  type ShallowRef,
} from 'vue';
import type { AuthClientLike, AuthSnapshot, RenewalEvent } from './client.js';
import { useAuthClient, useAuthReady, useAuthStarting } from './inject.js';
import { bindMethods, bindSnapshot, isServer, type AuthMethods } from './state.js';

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
 * Reactive auth state and methods of the app's client. State is pushed by the core's `subscribe()`;
 * the subscription ends with the calling component (or effect scope).
 */
export function useAuth(): UseAuthReturn {
  const client = useAuthClient();
  const { snapshot, stop } = bindSnapshot(client, useAuthStarting());
  // Outside an effect scope (e.g. app.runWithContext) nobody could end the subscription: read once.
  if (getCurrentScope()) onScopeDispose(stop);
  else stop();
  const field = <K extends keyof AuthSnapshot>(key: K) => computed(() => snapshot.value[key]);
  const renewal = shallowRef<RenewalEvent | undefined>();
  const stopRenewal = isServer() ? undefined : client.onRenewal?.((event) => (renewal.value = event));
  if (getCurrentScope()) onScopeDispose(() => stopRenewal?.());
  else stopRenewal?.();
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
    snapshot,
    client,
    ready: useAuthReady(),
    renewal: shallowReadonly(renewal),
    ...bindMethods(client),
  };
}
