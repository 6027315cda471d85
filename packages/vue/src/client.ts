import type { AuthClient } from '@grantflow/core';

/**
 * The part of the core's `AuthClient` this binding uses: any object with these methods (a real client,
 * the testing fake, a wrapper) can be installed.
 */
export type AuthClientLike = Pick<
  AuthClient,
  | 'getSnapshot'
  | 'subscribe'
  | 'loginWithRedirect'
  | 'handleRedirectCallback'
  | 'isCallbackUrl'
  | 'isSilentCallback'
  | 'getAccessToken'
  | 'checkSession'
  | 'logout'
  | 'destroy'
>;

export type {
  AuthSnapshot,
  AuthStatus,
  GetAccessTokenOptions,
  GrantflowError,
  IdTokenClaims,
  LoginOptions,
  LogoutOptions,
  User,
} from '@grantflow/core';
