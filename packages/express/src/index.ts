export { requireAuth } from './require-auth.js';
export {
  requireScopes,
  requireAnyScope,
  requirePermissions,
  claimEquals,
  claimIncludes,
  claimCheck,
  type JSONPrimitive,
  type ScopeArguments,
} from './guards.js';
export { authErrorHandler, sendAuthError } from './respond.js';
export {
  protectedResourceMetadata,
  resourceMetadataUrl,
  type ProtectedResourceMetadataOptions,
} from './resource-metadata.js';
export {
  AuthError,
  UnauthorizedError,
  InvalidRequestError,
  InvalidTokenError,
  InsufficientScopeError,
  type AuthErrorCode,
  type AuthErrorBody,
} from './errors.js';
// The scope vocabulary is core's, so the browser and the API read `scope` the same way.
export { parseScope } from '@grantflow/core/scope';
export type { AuthResult, JWTPayload, JWTHeader } from './auth-result.js';
export { ASYMMETRIC_ALGORITHMS } from './algorithms.js';
export type { RequireAuthOptions, VerifiedTokenCacheOptions } from './options.js';
export type { IssuerOptions } from './issuers.js';
export {
  InvalidDpopProofError,
  UseDpopNonceError,
  ReplayStoreUnavailableError,
  type ChallengeOffer,
} from './errors.js';
export { DPOP_ALGORITHMS, type DpopMode, type DpopOptions } from './dpop/options.js';
export {
  createMemoryReplayStore,
  type MemoryReplayStore,
  type MemoryReplayStoreOptions,
  type ReplayStore,
} from './dpop/replay-store.js';
