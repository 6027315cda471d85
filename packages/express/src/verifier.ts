import type { AuthResult } from 'express-oauth2-jwt-bearer';
import { toAuthResult } from './auth-result.js';
import { InvalidTokenError } from './errors.js';
import { routingKey, type ResolvedIssuer } from './issuers.js';
import { createLibraryVerify, KEYS_UNAVAILABLE, type LibraryVerify } from './library-bridge.js';
import type { ResolvedOptions } from './options.js';
import { checkClaims, decodeToken, type ClaimPolicy, type HeaderCache } from './token-claims.js';

export type VerifyDone = (err: InvalidTokenError | undefined, result?: AuthResult) => void;

/**
 * Verifies a token not in the cache. Calls `done` once, with the `AuthResult` or an
 * `InvalidTokenError`; synchronously for tokens refused before any key lookup.
 */
export type VerifyToken = (token: string, done: VerifyDone) => void;

interface Route {
  issuer: ResolvedIssuer;
  verify: LibraryVerify;
  /** The exact `iss` of this issuer's tokens, known once one verified. */
  exactIss: string | undefined;
  /** Until when discovery and the JWKS are known to be cached (epoch ms). */
  warmUntil: number;
}

export function createVerifier(options: ResolvedOptions): VerifyToken {
  const routes = new Map<string, Route>();
  for (const issuer of options.issuers) {
    const verify = createLibraryVerify(issuer, options);
    routes.set(issuer.key, { issuer, verify, exactIss: undefined, warmUntil: 0 });
  }
  const policy: ClaimPolicy = options;
  const headers: HeaderCache = new Map();
  const { timeoutDuration, cacheMaxAge } = options;

  // A warm issuer needs at most one JWKS refetch (unknown `kid`), which the library bounds by
  // `timeoutDuration`. A cold one may need discovery (two well-known paths in turn) and the JWKS,
  // so only then one deadline bounds the whole answer: no timer per request on the usual path.
  function verifyCold(route: Route, iss: string, token: string, done: VerifyDone): void {
    let settled = false;
    const finish: VerifyDone = (err, result) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      done(err, result);
    };
    const deadline = setTimeout(() => finish(new InvalidTokenError(KEYS_UNAVAILABLE)), timeoutDuration);
    route.verify(token, (err, verified) => {
      if (verified) {
        route.warmUntil = Date.now() + cacheMaxAge;
        route.exactIss = iss;
      }
      finish(err, verified && toAuthResult(verified));
    });
  }

  return (token, done) => {
    let decoded;
    try {
      decoded = decodeToken(token, options.algorithms, headers);
    } catch (err) {
      return done(err as InvalidTokenError);
    }
    const { iss } = decoded.payload;
    // Routed before any key lookup: an issuer not configured costs no request (no SSRF via `iss`).
    const route = typeof iss === 'string' ? routes.get(routingKey(iss)) : undefined;
    if (!route || (route.exactIss !== undefined && route.exactIss !== iss)) {
      return done(new InvalidTokenError('Unexpected token issuer'));
    }
    const refused = checkClaims(decoded, route.issuer.audience, policy);
    if (refused) return done(refused);
    if (route.warmUntil < Date.now()) return verifyCold(route, iss!, token, done);
    route.verify(token, (err, verified) => {
      if (err) return done(err);
      route.exactIss = iss;
      done(undefined, toAuthResult(verified!));
    });
  };
}
