export { createAuthClient } from './client.js';
export type { AuthClient, LogoutOptions } from './client.js';
export type { GetAccessTokenOptions } from './token-manager.js';
export type { AccessTokenOptions, AccessTokenResponse, GetAccessToken } from './access-token.js';
export type { PopupTokenOptions } from './popup-flow.js';
export type { DpopProofRequest } from './dpop-proof.js';
export type { LoginOptions } from './redirect-flow.js';
export type { AuthClientOptions, Endpoints } from './options.js';
export type { Environment, LockManagerLike, BroadcastChannelLike, Timers } from './environment.js';
export { createAuthFetch } from './auth-fetch.js';
export type { AuthFetch, AuthFetchOptions } from './auth-fetch.js';
export { parseWwwAuthenticate } from './www-authenticate.js';
export type { Challenge } from './www-authenticate.js';
export { hiddenIframe, silentAuthorization } from './silent.js';
export type { SilentAuthorization, SilentRequest, SilentTransport } from './silent.js';
export { crossTabSync } from './tab-sync.js';
export type { TabMessage, TabSync, TabSyncContext, TabSyncModule } from './tab-sync.js';
export { buildAuthorizeUrl } from './authorize.js';
export type { AuthorizeParams } from './authorize.js';
export { parseCallback } from './callback.js';
export type { CallbackParams } from './callback.js';
export { discover, issuerFromDomain } from './discovery.js';
export type { ServerMetadata } from './discovery.js';
export {
  AuthorizationError,
  GrantflowError,
  IdTokenInvalidError,
  InvalidResponseError,
  LoginRequiredError,
  MissingRefreshTokenError,
  MissingTransactionError,
  NetworkError,
  OAuthError,
  PopupBlockedError,
  PopupClosedError,
  StateMismatchError,
  StorageError,
  SubjectMismatchError,
  TimeoutError,
  UnsupportedEnvironmentError,
  UserInfoError,
  isRecoverable,
} from './errors.js';
export type { CallbackRefusal, GrantflowErrorCode, OAuthErrorFields } from './errors.js';
export { MfaRequiredError, type MfaFields, type MfaRequirements } from './mfa.js';
export type { FetchLike, HttpOptions, ProofOfPossession } from './http.js';
export { decodeJwt, validateIdTokenClaims } from './id-token.js';
export type { IdTokenClaims, IdTokenExpectations, User } from './id-token.js';
export { buildLogoutUrl } from './logout.js';
export { createCodeVerifier, createNonce, createState, deriveCodeChallenge } from './pkce.js';
export type { RandomSource } from './random.js';
export { toSnapshot, transition } from './state-machine.js';
export type {
  AuthEffect,
  AuthEvent,
  AuthSnapshot,
  AuthState,
  AuthStatus,
  Session,
  Transition,
} from './state-machine.js';
export { memoryStorage } from './storage.js';
export type { StorageAdapter, StorageOption } from './storage.js';
export { revokeToken } from './revocation.js';
export { fetchUserInfo, processUserInfoResponse } from './userinfo.js';
export type { UserInfoAnswer, UserInfoExpectations } from './userinfo.js';
export {
  buildPushedAuthorizeUrl,
  processPushedAuthorizationResponse,
  pushAuthorizationRequest,
} from './par.js';
export type { PushedAuthorizationResponse } from './par.js';
export { loginWithInvitation, parseInvitation } from './invitation.js';
export { popupWindow } from './popup.js';
export type { PopupConfig, PopupHost, PopupLogin, PopupOptions, PopupWindowLike } from './popup.js';
export { automaticRenewal } from './automatic-renewal.js';
export type {
  AutomaticRenewal,
  AutomaticRenewalOptions,
  RenewalController,
  RenewalEvent,
} from './automatic-renewal.js';
export type { Invitation } from './invitation.js';
export type { TokenRevocation } from './revocation.js';
export { mergeScopes, parseScope } from './scope.js';
export { normalizeScope } from './token-cache.js';
export { exchangeCode, processTokenResponse, refreshTokens } from './token-endpoint.js';
export type { CodeExchange, RefreshGrant, TokenResponse } from './token-endpoint.js';
export * from './resource-discovery.js';
