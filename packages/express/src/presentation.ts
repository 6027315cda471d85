import type { AuthResult } from 'express-oauth2-jwt-bearer';
import { InvalidTokenError } from './errors.js';

/**
 * How the token was presented, checked on every request, cache hits included: a verified token may
 * come from the cache, a proof of possession may not. A sender-constrained token (any `cnf`, e.g. a
 * DPoP `jkt` or an mTLS `x5t#S256`) is never accepted as a bearer token (RFC 9449 §7.1, RFC 8705 §3).
 */
export function checkBearerPresentation(result: AuthResult): InvalidTokenError | undefined {
  return result.payload.cnf === undefined
    ? undefined
    : new InvalidTokenError('Sender-constrained token used as a bearer token');
}
