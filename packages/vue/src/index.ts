export { createAuth, type AuthPlugin, type AuthPluginOptions, type GlobalAuth } from './plugin';
export { useAuth, type UseAuthReturn } from './useAuth';
export { createAuthGuard, type AuthGuardOptions } from './guard';
export { useAuthFetch, type AuthFetch, type AuthFetchOptions } from './useAuthFetch';
export { useAuthClient, MissingAuthPluginError } from './inject';
export { authClientKey } from './keys';
export type { AuthMethods } from './state';
export type { AuthClientLike } from './client';
