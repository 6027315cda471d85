import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { DpopOptions } from './dpop/options.js';
import { acceptedAlgorithms } from './algorithms.js';
import { resolveIssuers, type IssuerOptions, type ResolvedIssuer } from './issuers.js';
import {
  absoluteUrl,
  duration,
  failer,
  integer,
  isOptionsObject,
  MAX_TIMER_MS,
  optionalBoolean,
  optionalString,
  optionsObject,
  type Fail,
} from './option-checks.js';

export interface VerifiedTokenCacheOptions {
  /** Most tokens kept (least recently used evicted first). Default 10,000. */
  max?: number;
  /** Longest an entry is trusted, in ms, whatever the token's `exp`. Default 600,000 (10 min). */
  ttl?: number;
}

export interface RequireAuthOptions {
  /** Issuer URL; its discovery document gives `issuer` and `jwks_uri`. Default env `ISSUER_BASE_URL`. */
  issuerBaseURL?: string;
  /** Expected `iss`, when not discovered (give `jwksUri` with it). Default env `ISSUER`. */
  issuer?: string;
  /** JWKS location, when not discovered. Default env `JWKS_URI`. */
  jwksUri?: string;
  /** Accepted `aud` value(s). Default env `AUDIENCE`. */
  audience?: string | string[];
  /**
   * Several authorization servers (tenants or providers), each with its own issuer, discovery / JWKS
   * and, optionally, audience. Instead of the top-level `issuerBaseURL` / `issuer` / `jwksUri`.
   */
  issuers?: IssuerOptions[];
  /**
   * URL of this API's RFC 9728 metadata, named as `resource_metadata` in every challenge. Default:
   * the one served by `protectedResourceMetadata()` when that is mounted before.
   */
  resourceMetadata?: string;
  /** Accepted JWS `alg` values. Default: every asymmetric algorithm. */
  algorithms?: string[];
  /**
   * One accepted JWS `alg`: express-oauth2-jwt-bearer's name for it, so its options carry over. Default
   * env `TOKEN_SIGNING_ALG` (unless `algorithms` is given).
   */
  tokenSigningAlg?: string;
  /** Seconds of leeway for `exp`, `nbf` and `iat`. Default 5. */
  clockTolerance?: number;
  /** Refuse tokens whose `iat` is older than this many seconds (finite). */
  maxTokenAge?: number;
  /** Require RFC 9068 access tokens (`typ: at+jwt`, `sub`, `client_id`, `iat`, `jti`). Default false. */
  strict?: boolean;
  /** `false`: requests without credentials pass as anonymous (invalid tokens are still refused). */
  authRequired?: boolean;
  /** Accept `?access_token=` (RFC 6750 §2.3). Default false: URLs leak into logs. */
  allowQueryToken?: boolean;
  /** Longest token accepted, in characters. Default 8,192. */
  maxTokenLength?: number;
  /** `realm` of the `WWW-Authenticate` challenge. Default `api`. */
  realm?: string;
  /** `respond` (default): answer auth failures here. `next`: hand them to `next(err)` instead. */
  errors?: 'respond' | 'next';
  /** Verified-token cache; `false` re-verifies every request. */
  cache?: VerifiedTokenCacheOptions | false;
  /**
   * Bound on fetching discovery and the JWKS for a request, in ms: an answer comes within it, however
   * many fetches it takes. Default 5,000.
   */
  timeoutDuration?: number;
  /** Least time between two JWKS refetches caused by an unknown `kid`, in ms (finite). Default 30,000. */
  cooldownDuration?: number;
  /**
   * Age (ms) after which discovery and the JWKS are fetched again, in the background; the keys held
   * answer until that succeeds. Default 600,000 (10 min); `Infinity` keeps the first keys for good.
   */
  cacheMaxAge?: number;
  /** HTTP(S) agent for discovery and JWKS requests. */
  agent?: HttpAgent | HttpsAgent;
  /** Where the defaults come from. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** DPoP (RFC 9449) sender-constrained tokens. Default: off (Bearer only). See the README. */
  dpop?: DpopOptions;
}

export interface ResolvedOptions {
  issuers: readonly ResolvedIssuer[];
  resourceMetadata: string | undefined;
  algorithms: ReadonlySet<string>;
  clockTolerance: number;
  maxTokenAge: number | undefined;
  strict: boolean;
  authRequired: boolean;
  allowQueryToken: boolean;
  maxTokenLength: number;
  realm: string;
  delegateErrors: boolean;
  cache: Required<VerifiedTokenCacheOptions> | false;
  timeoutDuration: number;
  cooldownDuration: number;
  cacheMaxAge: number;
  agent: HttpAgent | HttpsAgent | undefined;
}

// Every option name, checked by the compiler against the interface: a misspelt or foreign option
// (which would otherwise be ignored, e.g. leaving every algorithm allowed) fails at start-up.
const KNOWN_OPTIONS: ReadonlySet<string> = new Set(
  Object.keys({
    issuerBaseURL: 0,
    issuer: 0,
    jwksUri: 0,
    audience: 0,
    issuers: 0,
    resourceMetadata: 0,
    algorithms: 0,
    tokenSigningAlg: 0,
    clockTolerance: 0,
    maxTokenAge: 0,
    strict: 0,
    authRequired: 0,
    allowQueryToken: 0,
    maxTokenLength: 0,
    realm: 0,
    errors: 0,
    cache: 0,
    timeoutDuration: 0,
    cooldownDuration: 0,
    cacheMaxAge: 0,
    agent: 0,
    env: 0,
    dpop: 0,
  } satisfies Record<keyof RequireAuthOptions, 0>),
);

const fail: Fail = failer('requireAuth()');

/** The variables the defaults come from; each must be a string when set. */
const ENV_VARIABLES = ['ISSUER_BASE_URL', 'ISSUER', 'JWKS_URI', 'AUDIENCE', 'TOKEN_SIGNING_ALG'] as const;

function environment(env: unknown): Record<string, string | undefined> {
  if (env === undefined) return process.env;
  if (!isOptionsObject(env)) fail("'env' must be an object of strings, such as process.env.");
  const variables = env as Record<string, unknown>;
  for (const name of ENV_VARIABLES) optionalString(variables[name], `env.${name}`, fail);
  return variables as Record<string, string | undefined>;
}

function resourceMetadataUrl(value: string | undefined): string | undefined {
  return value === undefined ? undefined : absoluteUrl(value, 'resourceMetadata', fail);
}

/**
 * The challenge writes it as a quoted-string (RFC 9110 §5.6.4), `"` and `\` escaped: printable
 * ASCII only, since anything else (a control character, non-ASCII) cannot go into the header as is.
 */
function realmOf(value: unknown): string {
  if (value === undefined) return 'api';
  if (typeof value !== 'string' || !/^[\x20-\x7e]*$/.test(value)) {
    fail("'realm' must be a string of printable ASCII characters.");
  }
  return value as string;
}

/** Node's `http.request` takes any object with `addRequest`: an `http.Agent`, `https.Agent` or one built on them. */
function agentOf(value: unknown): ResolvedOptions['agent'] {
  if (value !== undefined && typeof (value as { addRequest?: unknown } | null)?.addRequest !== 'function') {
    fail("'agent' must be an http.Agent or https.Agent.");
  }
  return value as ResolvedOptions['agent'];
}

/** `true` when auth failures go to `next(err)` (`errors: 'next'`) instead of being answered here. */
function delegatesErrors(errors: RequireAuthOptions['errors']): boolean {
  if (errors !== undefined && errors !== 'respond' && errors !== 'next') {
    fail("'errors' must be 'respond' or 'next'.");
  }
  return errors === 'next';
}

const CACHE_OPTIONS: ReadonlySet<string> = new Set(
  Object.keys({ max: 0, ttl: 0 } satisfies Record<keyof VerifiedTokenCacheOptions, 0>),
);

function cacheOptions(cache: RequireAuthOptions['cache']): ResolvedOptions['cache'] {
  if (cache === false) return false;
  if (cache !== undefined && !isOptionsObject(cache))
    fail("'cache' must be false or an object { max, ttl }.");
  const given = optionsObject(cache, 'cache', CACHE_OPTIONS, fail);
  return {
    max: integer(given?.max, 10_000, 'cache.max', fail),
    ttl: integer(given?.ttl, 600_000, 'cache.ttl', fail),
  };
}

/** Validates everything up front so a misconfigured API fails at start-up, not at the first request. */
export function resolveOptions(given?: RequireAuthOptions): ResolvedOptions {
  const options = optionsObject(given, undefined, KNOWN_OPTIONS, fail) ?? {};
  const env = environment(options.env);
  // In the order the checks always ran, so the first error reported for a bad configuration stays the same.
  const issuers = resolveIssuers({ ...options, env }, fail);
  const resourceMetadata = resourceMetadataUrl(options.resourceMetadata);
  const algorithms = acceptedAlgorithms(options, env, fail);
  const delegateErrors = delegatesErrors(options.errors);
  const cache = cacheOptions(options.cache);
  return {
    issuers,
    resourceMetadata,
    algorithms,
    // Infinity seconds of leeway would accept every expired token.
    clockTolerance: duration(options.clockTolerance, 5, 'clockTolerance', fail, 'seconds'),
    maxTokenAge:
      options.maxTokenAge === undefined
        ? undefined
        : duration(options.maxTokenAge, 0, 'maxTokenAge', fail, 'seconds'),
    strict: optionalBoolean(options.strict, false, 'strict', fail),
    authRequired: optionalBoolean(options.authRequired, true, 'authRequired', fail),
    allowQueryToken: optionalBoolean(options.allowQueryToken, false, 'allowQueryToken', fail),
    maxTokenLength: integer(options.maxTokenLength, 8192, 'maxTokenLength', fail),
    realm: realmOf(options.realm),
    delegateErrors,
    cache,
    timeoutDuration: integer(options.timeoutDuration, 5000, 'timeoutDuration', fail, MAX_TIMER_MS),
    cooldownDuration: duration(options.cooldownDuration, 30_000, 'cooldownDuration', fail, 'ms'),
    cacheMaxAge: duration(options.cacheMaxAge, 600_000, 'cacheMaxAge', fail, 'ms', true),
    agent: agentOf(options.agent),
  };
}
