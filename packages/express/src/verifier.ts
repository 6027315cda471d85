import type { AuthResult } from 'express-oauth2-jwt-bearer';
import { toAuthResult } from './auth-result.js';
import { InvalidTokenError } from './errors.js';
import { routingKey } from './issuers.js';
import { createRoute, startRefetch, startRefresh, type Route } from './key-route.js';
import { KEYS_UNAVAILABLE, UNKNOWN_KEY, type Verified } from './library-bridge.js';
import type { ResolvedOptions } from './options.js';
import { checkClaims, decodeToken, type ClaimPolicy, type HeaderCache } from './token-claims.js';

export type VerifyDone = (err: InvalidTokenError | undefined, result?: AuthResult) => void;

/**
 * Verifies a token not in the cache. Calls `done` once, with the `AuthResult` or an
 * `InvalidTokenError`; synchronously for tokens refused before any key lookup.
 */
export type VerifyToken = (token: string, done: VerifyDone) => void;

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

/**
 * A `kid` the held keys lack: a refetch, at most once per `cooldownDuration` (counted from the last
 * such refetch, failed or not, never from the first fetch). Tokens that come while it runs share it;
 * once it ended, they are refused at once until the cooldown has passed. Each request is answered
 * within `timeoutDuration` while the refetch goes on; one still running after a whole cooldown (an
 * issuer that never answers) is not waited for again.
 */
function createRefetch(options: ResolvedOptions): Verify {
  const { timeoutDuration, cooldownDuration } = options;
  return (route, iss, token, done) => {
    const now = Date.now();
    const fresh =
      now < route.refetchedAt + cooldownDuration ? route.refetching : startRefetch(route, now, options);
    if (fresh === undefined) return done(new InvalidTokenError(UNKNOWN_KEY));
    const finish = withDeadline(timeoutDuration, done, noop);
    fresh(token, (err, verified) => answer(route, iss, finish, err, verified));
  };
}

type VerifyHeld = (
  route: Route,
  iss: string,
  token: string,
  done: VerifyDone,
  held?: (err?: InvalidTokenError) => void,
) => void;

/** Answers from the held keys (`held` sees their own answer); a `kid` they lack goes to a refetch. */
function createVerifyHeld(options: ResolvedOptions): VerifyHeld {
  const refetch = createRefetch(options);
  return (route, iss, token, done, held = noop) => {
    route.verify(token, (err, verified) => {
      held(err);
      if (err?.message === UNKNOWN_KEY) return refetch(route, iss, token, done);
      answer(route, iss, done, err, verified);
    });
  };
}

/**
 * An issuer none of whose tokens verified yet may need discovery (two well-known paths in turn) and
 * the JWKS, so one deadline bounds the answer. Its failures are held back (the library would fetch
 * again for every token): for a short backoff, so it recovers soon after the issuer is back;
 * concurrent attempts share the library's one discovery and JWKS request.
 */
function createVerifyCold(options: ResolvedOptions, verifyHeld: VerifyHeld): Verify {
  const { timeoutDuration, cacheMaxAge, cooldownDuration } = options;
  const backoff = Math.min(cooldownDuration, 1000);
  return (route, iss, token, done) => {
    if (Date.now() < route.failedAt + backoff) return done(new InvalidTokenError(KEYS_UNAVAILABLE));
    const instance = route.verify;
    let replacement: typeof instance | undefined;
    // The next attempt asks afresh, with a new instance: not joining a request that hangs, nor
    // reading again a key set that came without a usable key (the instance would keep it for good).
    const retire = () => {
      route.failedAt = Date.now();
      if (route.verify === instance) route.verify = replacement = route.create();
    };
    let answered = false;
    let late = false;
    const finish = withDeadline(timeoutDuration, done, () => {
      if (answered) return;
      late = true;
      retire();
    });
    const held = (err?: InvalidTokenError) => {
      answered = true;
      // A hung request that fails after its deadline was counted then: not again, later.
      if (!late && err?.message === KEYS_UNAVAILABLE) retire();
      // Keys that came after the deadline are still the issuer's: their instance answers again, not
      // the one that replaced it (which holds none), unless another has taken its place meanwhile.
      if (late && err === undefined && route.verify === replacement) route.verify = instance;
    };
    const warmed: VerifyDone = (err, result) => {
      if (result && !route.warm) {
        route.warm = true;
        route.refreshAt = Date.now() + cacheMaxAge;
      }
      finish(err, result);
    };
    verifyHeld(route, iss, token, warmed, held);
  };
}

/**
 * A warm issuer answers from its held keys: no timer per request on the usual path. Keys due for a
 * refresh are fetched again in the background (`startRefresh`) with the first token they verified.
 */
function createKeyLookup(options: ResolvedOptions): Verify {
  const verifyHeld = createVerifyHeld(options);
  const verifyCold = createVerifyCold(options, verifyHeld);
  return (route, iss, token, done) => {
    if (!route.warm) return verifyCold(route, iss, token, done);
    verifyHeld(route, iss, token, done, (err) => {
      const now = Date.now();
      if (err === undefined && now >= route.refreshAt) startRefresh(route, token, now, options);
    });
  };
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
