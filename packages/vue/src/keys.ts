import type { InjectionKey, Ref } from 'vue';
import type { AuthClientLike } from './client.js';

// Registered symbols, so the main and the `/testing` entries (and their ESM and CJS builds) share
// one key even when a bundler loads two copies of this module.

/** The one client of the app, provided by `createAuth()` (or `createTestingAuth()`). */
export const authClientKey: InjectionKey<AuthClientLike> = Symbol.for('@grantflow/vue:client');

/**
 * Settles once the start-up work of the plugin (callback exchange or session check) has finished, so
 * a router guard never decides on the provisional state of a page load.
 */
export const authReadyKey: InjectionKey<Promise<void>> = Symbol.for('@grantflow/vue:ready');

/** True until `ready` settles: `useAuth().isLoading` shows it, so nothing acts on the pre-check state. */
export const authStartingKey: InjectionKey<Readonly<Ref<boolean>>> = Symbol.for('@grantflow/vue:starting');
