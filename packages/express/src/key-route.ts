import type { InvalidTokenError } from './errors.js';
import type { ResolvedIssuer } from './issuers.js';
import {
  KEYS_UNAVAILABLE,
  libraryVerifiers,
  UNKNOWN_KEY,
  UNNAMED_FAILURE,
  type LibraryVerify,
} from './library-bridge.js';
import type { ResolvedOptions } from './options.js';

/** One issuer's keys: the library instance that answers, and the ones fetching anew. */
export interface Route {
  issuer: ResolvedIssuer;
  /** A new library instance for this issuer: its own discovery and JWKS caches. */
  create: () => LibraryVerify;
  /** The instance whose keys answer. It never fetches again by itself (see `startRefetch`, `startRefresh`). */
  verify: LibraryVerify;
  /** Which refetch or refresh `verify` came from (0: none); only a later one replaces it. */
  held: number;
  /** How many refetches and refreshes were started. */
  started: number;
  /** The refetch in flight, shared by every token with a `kid` the held keys lack meanwhile. */
  refetching: LibraryVerify | undefined;
  /** The exact `iss` of this issuer's tokens, known once one verified. */
  exactIss: string | undefined;
  /** Whether a token verified from this issuer's keys once: its discovery and JWKS are then held. */
  warm: boolean;
  /** When the held keys are fetched again in the background (epoch ms; see `startRefresh`). */
  refreshAt: number;
  /** Whether the last refresh lacked the key that verified its token, not yet confirmed by another. */
  lacking: boolean;
  /** When a `kid` the held keys lack last caused a refetch (epoch ms). */
  refetchedAt: number;
  /** When the held instance last failed to get keys while the issuer was cold (epoch ms). */
  failedAt: number;
}

export const createRoute = (issuer: ResolvedIssuer, options: ResolvedOptions): Route => {
  const create = libraryVerifiers(issuer, options);
  return {
    issuer,
    create,
    verify: create(),
    held: 0,
    started: 0,
    refetching: undefined,
    exactIss: undefined,
    warm: false,
    refreshAt: Infinity,
    lacking: false,
    refetchedAt: -Infinity,
    failedAt: -Infinity,
  };
};

/**
 * Whether an instance's answer shows it holds the token's key (verified, or refused for the signature
 * or a claim): only then may a refetch replace the held keys. No keys, none for this `kid` (an empty or
 * other key set for a moment, asked with a made-up `kid`), or an unknown failure keep the held ones.
 */
const foundKey = (err: InvalidTokenError | undefined): boolean =>
  err === undefined || ![KEYS_UNAVAILABLE, UNKNOWN_KEY, UNNAMED_FAILURE].includes(err.message);

/**
 * Whether an instance's answer shows it got a key set: anything but keys unavailable (discovery or
 * the JWKS failed, or the token's key is unusable) or a failure not named.
 */
const fetchedKeys = (err: InvalidTokenError | undefined): boolean =>
  err === undefined || (err.message !== KEYS_UNAVAILABLE && err.message !== UNNAMED_FAILURE);

/** `instance`'s keys answer from now on, unless a later refetch or refresh already holds. */
function hold(route: Route, instance: LibraryVerify, generation: number, { cacheMaxAge }: ResolvedOptions) {
  if (generation <= route.held) return;
  route.verify = instance;
  route.held = generation;
  // Keys held anew: a lacking refresh before them confirms nothing about these.
  route.lacking = false;
  route.refreshAt = Date.now() + cacheMaxAge;
}

/**
 * Starts a refetch: a new instance, which fetches the keys again. It answers the tokens that share
 * it, and replaces the held instance once it found a token's key (`foundKey`), whenever that is:
 * after the deadline of the request that started it too (a slow issuer must not keep a rotated key
 * out for good), unless a later refetch already did.
 */
export function startRefetch(route: Route, now: number, options: ResolvedOptions): LibraryVerify {
  route.refetchedAt = now;
  const generation = ++route.started;
  const instance = route.create();
  const fresh: LibraryVerify = (token, done) =>
    instance(token, (err, verified) => {
      if (foundKey(err)) hold(route, instance, generation, options);
      if (route.refetching === fresh) route.refetching = undefined;
      done(err, verified);
    });
  route.refetching = fresh;
  return fresh;
}

/**
 * Fetches discovery and the JWKS again once the held keys are `cacheMaxAge` old, in the background:
 * a new instance verifies `token`, which the held keys have just verified (a forged token, refused
 * before any key is fetched, would count as a failed refresh and hold the next one back). It
 * replaces the held one once it got a key set. One lacking this token's key (removed, or a JWKS
 * served empty or partial for a moment) replaces it only when the next refresh lacks its token's
 * key too: a JWKS caught mid-change must not refuse good tokens until a refetch may run. One that
 * fails keeps the held keys, so a JWKS outage never fails a known key. The next refresh is tried
 * after max(`cooldownDuration`, `timeoutDuration`), which also bounds how long one that hangs is
 * waited for.
 */
export function startRefresh(route: Route, token: string, now: number, options: ResolvedOptions): void {
  route.refreshAt = now + Math.max(options.cooldownDuration, options.timeoutDuration);
  const generation = ++route.started;
  const instance = route.create();
  instance(token, (err) => {
    // Superseded by keys a later refetch or refresh holds: its answer is about keys no longer held.
    if (!fetchedKeys(err) || generation <= route.held) return;
    const confirmed = err?.message !== UNKNOWN_KEY || route.lacking;
    route.lacking = !confirmed;
    if (confirmed) hold(route, instance, generation, options);
  });
}
