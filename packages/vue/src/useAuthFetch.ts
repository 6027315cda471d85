import { createAuthFetch, type AuthFetch, type AuthFetchOptions } from '@grantflow/core';
import { useAuthClient } from './inject.js';

export type { AuthFetch, AuthFetchOptions };

/**
 * The core's `createAuthFetch` for the app's client: a fetch that sends the access token and, when the
 * API says the token is invalid, retries once with a fresh one.
 */
export function useAuthFetch(options: AuthFetchOptions = {}): AuthFetch {
  return createAuthFetch(useAuthClient(), options);
}
