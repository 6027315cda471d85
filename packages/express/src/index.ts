export { requireAuth } from './require-auth.ts';
export {
  requireScopes,
  requireAnyScope,
  requirePermissions,
  claimEquals,
  claimIncludes,
  claimCheck,
  type JSONPrimitive,
} from './guards.ts';
export { authErrorHandler, sendAuthError } from './respond.ts';
export {
  protectedResourceMetadata,
  resourceMetadataUrl,
  type ProtectedResourceMetadataOptions,
} from './resource-metadata.ts';
export {
  AuthError,
  UnauthorizedError,
  InvalidRequestError,
  InvalidTokenError,
  InsufficientScopeError,
  type AuthErrorCode,
  type AuthErrorBody,
} from './errors.ts';
// The scope vocabulary is core's, so the browser and the API read `scope` the same way.
export { parseScope } from '@grantflow/core/scope';
export type { AuthResult, JWTPayload, JWTHeader } from './auth-result.ts';
export { ASYMMETRIC_ALGORITHMS, type RequireAuthOptions, type VerifiedTokenCacheOptions } from './options.ts';
export type { IssuerOptions } from './issuers.ts';
export {
  InvalidDpopProofError,
  UseDpopNonceError,
  ReplayStoreUnavailableError,
  type ChallengeOffer,
} from './errors.ts';
export { DPOP_ALGORITHMS, type DpopMode, type DpopOptions } from './dpop/options.ts';
export {
  createMemoryReplayStore,
  type MemoryReplayStoreOptions,
  type ReplayStore,
} from './dpop/replay-store.ts';
