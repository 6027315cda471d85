import type { AuthResult, JWTHeader } from 'express-oauth2-jwt-bearer';
import { toAuthResult } from './auth-result.js';
import { InvalidTokenError } from './errors.js';
import { routingKey, type ResolvedIssuer } from './issuers.js';
import {
  createLibraryVerify,
  KEYS_UNAVAILABLE,
  type LibraryVerify,
  type Verified,
} from './library-bridge.js';
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
  /** When a discovery or JWKS fetch of this issuer last failed (epoch ms). */
  failedAt: number;
  /** Keys (see `keyOf`) of tokens that verified: the library holds them and needs no fetch for them. */
  knownKeys: Set<string>;
}

/** The `kid`, or for a token without one its `alg` (which then selects the key). */
const keyOf = (header: JWTHeader): string =>
  typeof header.kid === 'string' ? header.kid : `\0${String(header.alg)}`;

/**
 * After a failed fetch, the answer for a token with a key that never verified, until `cooldownDuration`
 * has passed. jose's RemoteJWKSet only times its cooldown from a successful fetch, so while the JWKS
 * keeps failing a flood of unknown `kid`s would refetch for every token; this keeps it to one per
 * period. Known keys are never held back, nor an issuer that has no verified key yet (it recovers on
 * the first request after it is back).
 */
function whileCoolingDown(route: Route, header: JWTHeader, now: number, cooldown: number) {
  if (now >= route.failedAt + cooldown || route.knownKeys.size === 0) return undefined;
  return route.knownKeys.has(keyOf(header)) ? undefined : new InvalidTokenError('Unknown signing key');
}

/** Records what the library's answer says about this issuer's keys. */
function record(route: Route, iss: string, err: InvalidTokenError | undefined, verified?: Verified) {
  if (verified) {
    route.exactIss = iss;
    route.knownKeys.add(keyOf(verified.header));
  } else if (err?.message === KEYS_UNAVAILABLE) {
    route.failedAt = Date.now();
  }
}

const createRoute = (issuer: ResolvedIssuer, options: ResolvedOptions): Route => ({
  issuer,
  verify: createLibraryVerify(issuer, options),
  exactIss: undefined,
  warmUntil: 0,
  failedAt: -Infinity,
  knownKeys: new Set(),
});

export function createVerifier(options: ResolvedOptions): VerifyToken {
  const routes = new Map(options.issuers.map((issuer) => [issuer.key, createRoute(issuer, options)]));
  const policy: ClaimPolicy = options;
  const headers: HeaderCache = new Map();
  const { timeoutDuration, cacheMaxAge, cooldownDuration } = options;

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
    const deadline = setTimeout(() => {
      route.failedAt = Date.now();
      finish(new InvalidTokenError(KEYS_UNAVAILABLE));
    }, timeoutDuration);
    route.verify(token, (err, verified) => {
      record(route, iss, err, verified);
      if (verified) route.warmUntil = Date.now() + cacheMaxAge;
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
    const now = Date.now();
    const cooling = whileCoolingDown(route, decoded.header, now, cooldownDuration);
    if (cooling) return done(cooling);
    if (route.warmUntil < now) return verifyCold(route, iss!, token, done);
    route.verify(token, (err, verified) => {
      record(route, iss!, err, verified);
      if (err) return done(err);
      done(undefined, toAuthResult(verified!));
    });
  };
}
