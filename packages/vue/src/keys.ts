import type { AuthClient } from '@grantflow/core';
import type { App, InjectionKey, Ref, ShallowRef } from 'vue';
import type { AuthSnapshot, RenewalEvent } from './client.js';
import type { AuthMethods } from './methods.js';

// Registered symbols, so the main and the `/testing` entries (and their ESM and CJS builds) share
// one key even when a bundler loads two copies of this module.

/**
 * The one client of the app, provided by `createAuth()` (or `createTestingAuth()`) with every method of
 * the core's `AuthClient`, also when the client it was given lacks some.
 */
export const authClientKey: InjectionKey<AuthClient> = Symbol.for('@grantflow/vue:client');

/** What the plugin keeps per app: one subscription to the client, shared by every `useAuth()` and `$auth`. */
export interface AppAuthState {
  /**
   * The client's snapshot as the app sees it: `isLoading` also true while the plugin's start-up work
   * runs, false for a popup sign-in after it; `error` also a bound call's rejection.
   */
  readonly snapshot: Readonly<Ref<AuthSnapshot>>;
  readonly renewal: Readonly<ShallowRef<RenewalEvent | undefined>>;
  /**
   * Settles once the start-up work of the plugin (callback exchange or session check) has finished, so
   * a router guard never decides on the provisional state of a page load.
   */
  readonly ready: Promise<void>;
  readonly app: App;
  /** The client's methods, bound once for the app: their rejections reach `snapshot.error`. */
  readonly methods: AuthMethods;
  /** Keeps `snapshot` pushed by the client until the returned release is called (a scope's dispose). */
  readonly hold: () => () => void;
  /** Keeps it pushed until the app unmounts: for readers no scope ends (a guard, `$auth`). */
  readonly holdForApp: () => void;
}

export const authAppStateKey: InjectionKey<AppAuthState> = Symbol.for('@grantflow/vue:app-state');
