import type { Request } from 'express';
import {
  auth,
  InvalidTokenError as LibraryInvalidTokenError,
  type AuthResult,
} from 'express-oauth2-jwt-bearer';
import { InvalidTokenError } from './errors.js';
import type { ResolvedIssuer } from './issuers.js';
import type { ResolvedOptions } from './options.js';
import { iatRefused } from './token-claims.js';
import { createTimeoutAgent } from './timeout-agent.js';

export const KEYS_UNAVAILABLE = 'Signing keys unavailable';
/** The held keys have none for the token's `kid` (the verifier may then refetch them). */
export const UNKNOWN_KEY = 'Unknown signing key';
/** A library failure none of the patterns below names. */
export const UNNAMED_FAILURE = 'Invalid token';

export type Verified = Pick<AuthResult, 'payload' | 'header' | 'token'>;
export type LibraryVerify = (
  token: string,
  done: (err: InvalidTokenError | undefined, verified?: Verified) => void,
) => void;

// Our own checks run first (decoding, algorithm, issuer, time, audience, type, claims), so what the
// library still refuses is the key or the signature, keys it could not fetch, an issuer that differs
// from the discovered one, or a time claim that expired in between. It reports each as its
// `InvalidTokenError` (class and `code` are all the structure it keeps: jose's error codes are
// dropped) with jose's or its own message. These patterns tell them apart, and
// test/library-contract.test.ts makes the library produce each one: a reworded message fails a test
// instead of silently changing an answer. Anything else is answered with the generic description.
const LIBRARY_FAILURES: ReadonlyArray<readonly [RegExp, string]> = [
  [/signature verification failed/, 'Invalid signature'],
  [/no applicable key found|multiple matching keys/, UNKNOWN_KEY],
  [
    /Failed to fetch|Failed to parse|Expected 200 OK|timed out|ECONNREFUSED|ECONNRESET|socket hang up/,
    KEYS_UNAVAILABLE,
  ],
  // A JWKS answered 200 without a key set, or with the token's key in a form that cannot verify
  // (private, not importable, too short): no usable key either, so held back like an outage.
  [
    /JSON Web Key Set (malformed|members must be public keys)|Invalid JWK|requires key modulusLength/,
    KEYS_UNAVAILABLE,
  ],
  [/Unexpected 'iss' value/, 'Unexpected token issuer'],
  [/"exp" claim timestamp/, 'Token expired'],
  [/"nbf" claim timestamp/, 'Token not yet valid'],
];

/** The description of a failure the library reported (the error it passed to `next`). */
export function describeLibraryFailure(err: unknown): string {
  if (err instanceof LibraryInvalidTokenError) {
    for (const [pattern, description] of LIBRARY_FAILURES) if (pattern.test(err.message)) return description;
  }
  return UNNAMED_FAILURE;
}
// The library's only verification entry point is its middleware. It gets a minimal request carrying
// exactly the token we extracted, so request parsing (RFC 6750) and the presentation checks are ours
// and the JWS, discovery and JWKS work stays the library's. Built once, shared by every request.
const requestBase = {
  protocol: 'http',
  method: 'GET',
  originalUrl: '/',
  url: '/',
  query: {},
  body: undefined,
  get: (name: string) => (name === 'Host' ? 'localhost' : undefined),
  is: () => false,
};

/**
 * The URL the library discovers from. It tries `<url>/.well-known/openid-configuration`, then
 * `/.well-known/oauth-authorization-server<path>`; RFC 8414 §3.1 drops an issuer's terminating `/`
 * before inserting the well-known part, which the library does not, so one is dropped here from a
 * path-bearing issuer (the OpenID form is the same either way). Only the fetched URL changes: `iss`
 * is still compared with the issuer the metadata names.
 */
function discoveryBase(issuerBaseURL: string): string {
  const { pathname } = new URL(issuerBaseURL);
  const strip =
    pathname !== '/' &&
    pathname.endsWith('/') &&
    issuerBaseURL.endsWith(pathname) &&
    !pathname.includes('/.well-known/');
  return strip ? issuerBaseURL.slice(0, -1) : issuerBaseURL;
}

/**
 * Makes express-oauth2-jwt-bearer instances for one issuer, each with its own discovery and JWKS
 * caches and a callback instead of a promise layer; all share one agent.
 */
export function libraryVerifiers(issuer: ResolvedIssuer, options: ResolvedOptions): () => LibraryVerify {
  const agent =
    options.agent ?? createTimeoutAgent(issuer.issuerBaseURL ?? issuer.jwksUri!, options.timeoutDuration);
  return () => createLibraryVerify(issuer, options, agent);
}

function createLibraryVerify(
  issuer: ResolvedIssuer,
  options: ResolvedOptions,
  agent: NonNullable<ResolvedOptions['agent']>,
): LibraryVerify {
  const middleware = auth({
    // '' (not undefined) keeps the library from reading ISSUER_BASE_URL/ISSUER/JWKS_URI/SECRET/
    // TOKEN_SIGNING_ALG from process.env behind our back; an empty value means "not set" to it.
    issuerBaseURL: issuer.issuerBaseURL === undefined ? '' : discoveryBase(issuer.issuerBaseURL),
    issuer: issuer.issuer ?? '',
    jwksUri: issuer.jwksUri ?? '',
    secret: '',
    tokenSigningAlg: '',
    audience: [...issuer.audience],
    clockTolerance: options.clockTolerance,
    maxTokenAge: options.maxTokenAge,
    strict: options.strict,
    timeoutDuration: options.timeoutDuration,
    // Never refetch for an unknown `kid` on its own: jose would time its cooldown from the last fetch
    // of any kind (the first one too), refusing a key published just after it. The verifier refetches
    // with a new instance instead, at most once per `cooldownDuration` (see key-route.ts).
    cooldownDuration: Infinity,
    // Nor when its keys get old: refetching on a request's path, it would fail that request while the
    // JWKS is down. The verifier refreshes them after `cacheMaxAge` with a new instance instead, in the
    // background, keeping these until that one got keys (see key-route.ts).
    cacheMaxAge: Infinity,
    cache: { discovery: { ttl: Infinity }, jwks: { ttl: Infinity } },
    agent,
    // How the token was presented (Bearer, DPoP) is checked by us on every request, cache hits too.
    dpop: { enabled: false },
    authRequired: true,
    // The library would take its allowed algorithms from discovery's
    // `id_token_signing_alg_values_supported`, which lists ID-token algorithms, not access-token
    // ones (an issuer listing only RS256 there may sign access tokens with ES256). `decodeToken`
    // already enforces our `algorithms` (never `none` or HMAC) before the library is called.
    // Its `iat` check refuses a token issued this very second under `maxTokenAge` with no
    // `clockTolerance` (strict comparisons at both ends); ours, jose's rule, replaces it, so the
    // re-check after the signature agrees with the one `checkClaims` made before.
    validators: { alg: false, iat: (iat) => !iatRefused(iat, options, Math.floor(Date.now() / 1000)) },
  });
  return (token, done) => {
    const req = Object.create(requestBase) as Request;
    req.headers = { authorization: `Bearer ${token}` };
    void middleware(req, undefined as never, (err?: unknown) => {
      if (err) done(new InvalidTokenError(describeLibraryFailure(err)));
      else done(undefined, req.auth);
    });
  };
}
