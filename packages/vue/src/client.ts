import type { AuthClient } from '@grantflow/core';

/**
 * The part of the core's `AuthClient` this binding uses: any object with these methods (a real client,
 * the testing fake, a wrapper) can be installed.
 */
export type AuthClientLike = Partial<Pick<AuthClient, OptionalMethods>> &
  Pick<
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

/** Methods of newer cores (and of the opt-in modules): a client or fake without them still installs. */
type OptionalMethods =
  | 'loginWithPopup'
  | 'getAccessTokenWithPopup'
  | 'forwardPopupCallback'
  | 'isLoginCallback'
  | 'getUserInfo'
  | 'getIdTokenClaims'
  | 'createDpopProof'
  | 'onRenewal';

export type {
  AccessTokenResponse,
  AuthSnapshot,
  PopupTokenOptions,
  RenewalEvent,
  AuthStatus,
  DpopProofRequest,
  GetAccessToken,
  GetAccessTokenOptions,
  GrantflowError,
  IdTokenClaims,
  LoginOptions,
  LogoutOptions,
  User,
} from '@grantflow/core';
