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
  AuthError,
  UnauthorizedError,
  InvalidRequestError,
  InvalidTokenError,
  InsufficientScopeError,
  type AuthErrorCode,
  type AuthErrorBody,
} from './errors.ts';
export { parseScope, type AuthResult, type JWTPayload, type JWTHeader } from './auth-result.ts';
export { ASYMMETRIC_ALGORITHMS, type RequireAuthOptions, type VerifiedTokenCacheOptions } from './options.ts';
