import type { AuthResult } from 'express-oauth2-jwt-bearer';
import { toAuthResult } from './auth-result.js';
import { InvalidTokenError } from './errors.js';
import { routingKey, type ResolvedIssuer } from './issuers.js';
import {
  KEYS_UNAVAILABLE,
  libraryVerifiers,
  UNKNOWN_KEY,
  UNNAMED_FAILURE,
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
  /** A new library instance for this issuer: its own discovery and JWKS caches. */
  create: () => LibraryVerify;
  /** The instance whose keys answer. It never fetches for an unknown `kid` (see `refetch`). */
  verify: LibraryVerify;
  /** Which refetch `verify` came from (0: none); only a later one replaces it. */
  held: number;
  /** How many refetches were started. */
  started: number;
  /** The refetch in flight, shared by every token with a `kid` the held keys lack meanwhile. */
  refetching: LibraryVerify | undefined;
  /** The exact `iss` of this issuer's tokens, known once one verified. */
  exactIss: string | undefined;
  /** Until when discovery and the JWKS are known to be cached (epoch ms). */
  warmUntil: number;
  /** When a `kid` the held keys lack last caused a refetch (epoch ms). */
  refetchedAt: number;
  /** When the held instance last failed to get keys while the issuer was cold (epoch ms). */
  failedAt: number;
}

type Verify = (route: Route, iss: string, token: string, done: VerifyDone) => void;

const noop = () => {};

/** Calls `done` once: with the answer, or with keys unavailable when none came within `timeout` ms. */
function withDeadline(timeout: number, done: VerifyDone, onTimeout: () => void): VerifyDone {
  let settled = false;
  const finish: VerifyDone = (err, result) => {
    if (settled) return;
    settled = true;
    clearTimeout(deadline);
    done(err, result);
  };
  const deadline = setTimeout(() => {
    onTimeout();
    finish(new InvalidTokenError(KEYS_UNAVAILABLE));
  }, timeout);
  return finish;
}

function answer(route: Route, iss: string, done: VerifyDone, err?: InvalidTokenError, verified?: Verified) {
  if (verified) route.exactIss = iss;
  done(err, verified && toAuthResult(verified));
}

const createRoute = (issuer: ResolvedIssuer, options: ResolvedOptions): Route => {
  const create = libraryVerifiers(issuer, options);
  return {
    issuer,
    create,
    verify: create(),
    held: 0,
    started: 0,
    refetching: undefined,
    exactIss: undefined,
    warmUntil: 0,
    refetchedAt: -Infinity,
    failedAt: -Infinity,
  };
};

/**
 * Whether an instance's answer shows it holds the token's key (verified, or refused for the signature
 * or a claim): only then may it replace the held keys. No keys, none for this `kid` (an empty or other
 * key set for a moment, asked with a made-up `kid`), or an unknown failure keep the held ones.
 */
const foundKey = (err: InvalidTokenError | undefined): boolean =>
  err === undefined || ![KEYS_UNAVAILABLE, UNKNOWN_KEY, UNNAMED_FAILURE].includes(err.message);

/**
 * Starts a refetch: a new instance, which fetches the keys again. It answers the tokens that share
 * it, and replaces the held instance once it found a token's key (`foundKey`), whenever that is:
 * after the deadline of the request that started it too (a slow issuer must not keep a rotated key
 * out for good), unless a later refetch already did.
 */
function startRefetch(route: Route, now: number): LibraryVerify {
  route.refetchedAt = now;
  const generation = ++route.started;
  const instance = route.create();
  const fresh: LibraryVerify = (token, done) =>
    instance(token, (err, verified) => {
      if (foundKey(err) && generation > route.held) {
        route.verify = instance;
        route.held = generation;
      }
      if (route.refetching === fresh) route.refetching = undefined;
      done(err, verified);
    });
  route.refetching = fresh;
  return fresh;
}

/**
 * A `kid` the held keys lack: a refetch, at most once per `cooldownDuration` (counted from the last
 * such refetch, failed or not, never from the first fetch). Tokens that come while it runs share it;
 * once it ended, they are refused at once until the cooldown has passed. Each request is answered
 * within `timeoutDuration` while the refetch goes on; one still running after a whole cooldown (an
 * issuer that never answers) is not waited for again.
 */
function createRefetch({ timeoutDuration, cooldownDuration }: ResolvedOptions): Verify {
  return (route, iss, token, done) => {
    const now = Date.now();
    const fresh = now < route.refetchedAt + cooldownDuration ? route.refetching : startRefetch(route, now);
    if (fresh === undefined) return done(new InvalidTokenError(UNKNOWN_KEY));
    const finish = withDeadline(timeoutDuration, done, noop);
    fresh(token, (err, verified) => answer(route, iss, finish, err, verified));
  };
}

function createKeyLookup(options: ResolvedOptions) {
  const { timeoutDuration, cacheMaxAge, cooldownDuration } = options;
  const refetch = createRefetch(options);

  /** Answers from the held keys (`held` sees their own answer); a `kid` they lack goes to `refetch`. */
  const verifyHeld = (
    route: Route,
    iss: string,
    token: string,
    done: VerifyDone,
    held: (err?: InvalidTokenError) => void = noop,
  ) => {
    route.verify(token, (err, verified) => {
      held(err);
      if (err?.message === UNKNOWN_KEY) return refetch(route, iss, token, done);
      answer(route, iss, done, err, verified);
    });
  };

  // A warm issuer answers from held keys: no timer per request on the usual path. A cold one may
  // need discovery (two well-known paths in turn) and the JWKS, so one deadline bounds the answer.
  // Its failures are held back too (the library would fetch again for every token): for a short
  // backoff, so it recovers soon after the issuer is back; concurrent attempts share the library's
  // one discovery and JWKS request.
  const backoff = Math.min(cooldownDuration, 1000);
  const verifyCold: Verify = (route, iss, token, done) => {
    if (Date.now() < route.failedAt + backoff) return done(new InvalidTokenError(KEYS_UNAVAILABLE));
    let answered = false;
    let late = false;
    const finish = withDeadline(timeoutDuration, done, () => {
      if (answered) return;
      late = true;
      route.failedAt = Date.now();
      // The next attempt asks afresh rather than joining the request that hangs.
      route.verify = route.create();
    });
    const held = (err?: InvalidTokenError) => {
      answered = true;
      // A hung request that fails after its deadline was counted then: not again, later.
      if (!late && err?.message === KEYS_UNAVAILABLE) route.failedAt = Date.now();
    };
    const warmed: VerifyDone = (err, result) => {
      if (result) route.warmUntil = Date.now() + cacheMaxAge;
      finish(err, result);
    };
    verifyHeld(route, iss, token, warmed, held);
  };

  return (route: Route, iss: string, token: string, done: VerifyDone) =>
    (route.warmUntil < Date.now() ? verifyCold : verifyHeld)(route, iss, token, done);
}

export function createVerifier(options: ResolvedOptions): VerifyToken {
  const routes = new Map(options.issuers.map((issuer) => [issuer.key, createRoute(issuer, options)]));
  const policy: ClaimPolicy = options;
  const headers: HeaderCache = new Map();
  const lookUpKey = createKeyLookup(options);

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
    lookUpKey(route, iss!, token, done);
  };
}
