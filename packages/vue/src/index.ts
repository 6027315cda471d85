export { createAuth, type AuthPlugin, type AuthPluginOptions, type GlobalAuth } from './plugin.js';
export { useAuth, type UseAuthReturn } from './useAuth.js';
export {
  authGuard,
  createAuthGuard,
  type AuthGuard,
  type AuthGuardOptions,
  type GuardLoginOptions,
  type GuardRoute,
} from './guard.js';
export { useAuthFetch, type AuthFetch, type AuthFetchOptions } from './useAuthFetch.js';
export { useAuthClient, MissingAuthPluginError } from './inject.js';
export { authClientKey } from './keys.js';
export type { AuthMethods } from './methods.js';
export type { AuthClientLike } from './client.js';
