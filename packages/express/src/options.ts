import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { DpopOptions } from './dpop/options.js';
import { resolveIssuers, type IssuerOptions, type ResolvedIssuer } from './issuers.js';

/** Every asymmetric JWS algorithm express-oauth2-jwt-bearer verifies. Symmetric ones are never accepted. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES256K',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

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
  /** Refuse tokens whose `iat` is older than this many seconds. */
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
  /** Bound on each discovery / JWKS request, in ms. Default 5,000. */
  timeoutDuration?: number;
  /** Least time between two JWKS refetches caused by an unknown `kid`, in ms. Default 30,000. */
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

const fail = (message: string): never => {
  throw new TypeError(`@grantflow/express requireAuth(): ${message}`);
};

function url(value: string, name: string): string {
  if (!URL.canParse(value)) fail(`'${name}' must be an absolute URL, got ${JSON.stringify(value)}.`);
  return value;
}

function duration(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    fail(`'${name}' must be a non-negative number.`);
  }
  return value;
}

function integer(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) fail(`'${name}' must be a positive integer.`);
  return value;
}

function checkKnownOptions(options: RequireAuthOptions): void {
  const unknown = Object.keys(options).filter((key) => !KNOWN_OPTIONS.has(key));
  if (unknown.length > 0) fail(`unknown option(s) ${unknown.map((key) => `'${key}'`).join(', ')}.`);
}

function resourceMetadataUrl(value: string | undefined): string | undefined {
  return value === undefined ? undefined : url(value, 'resourceMetadata');
}

/**
 * `algorithms`, or the one `tokenSigningAlg` (default env `TOKEN_SIGNING_ALG`, which
 * express-oauth2-jwt-bearer reads too), or every asymmetric algorithm; never a symmetric one.
 */
function acceptedAlgorithms(
  { algorithms, tokenSigningAlg: given }: RequireAuthOptions,
  env: Record<string, string | undefined>,
): ReadonlySet<string> {
  if (given !== undefined) {
    if (typeof given !== 'string') fail("'tokenSigningAlg' must be a string.");
    if (algorithms !== undefined) fail("pass either 'algorithms' or 'tokenSigningAlg', not both.");
  }
  // The environment is only a default: an explicit `algorithms` wins over it. Empty is unset, as to the library.
  const tokenSigningAlg =
    given ?? (algorithms === undefined ? env.TOKEN_SIGNING_ALG || undefined : undefined);
  const list = algorithms ?? (tokenSigningAlg === undefined ? [...ASYMMETRIC_ALGORITHMS] : [tokenSigningAlg]);
  const unsupported = list.filter((alg) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg));
  if (list.length === 0 || unsupported.length > 0) {
    const name =
      algorithms !== undefined
        ? "'algorithms'"
        : given !== undefined
          ? "'tokenSigningAlg'"
          : 'TOKEN_SIGNING_ALG';
    fail(`${name} must be a non-empty subset of ${ASYMMETRIC_ALGORITHMS.join(', ')}.`);
  }
  return new Set(list);
}

/** `true` when auth failures go to `next(err)` (`errors: 'next'`) instead of being answered here. */
function delegatesErrors(errors: RequireAuthOptions['errors']): boolean {
  if (errors !== undefined && errors !== 'respond' && errors !== 'next') {
    fail("'errors' must be 'respond' or 'next'.");
  }
  return errors === 'next';
}

function cacheOptions(cache: RequireAuthOptions['cache']): ResolvedOptions['cache'] {
  if (cache === false) return false;
  return {
    max: integer(cache?.max, 10_000, 'cache.max'),
    ttl: integer(cache?.ttl, 600_000, 'cache.ttl'),
  };
}

/** Validates everything up front so a misconfigured API fails at start-up, not at the first request. */
export function resolveOptions(options: RequireAuthOptions = {}): ResolvedOptions {
  checkKnownOptions(options);
  const env = options.env ?? process.env;
  // In the order the checks always ran, so the first error reported for a bad configuration stays the same.
  const issuers = resolveIssuers({ ...options, env }, fail);
  const resourceMetadata = resourceMetadataUrl(options.resourceMetadata);
  const algorithms = acceptedAlgorithms(options, env);
  const delegateErrors = delegatesErrors(options.errors);
  const cache = cacheOptions(options.cache);
  return {
    issuers,
    resourceMetadata,
    algorithms,
    clockTolerance: duration(options.clockTolerance, 5, 'clockTolerance'),
    maxTokenAge:
      options.maxTokenAge === undefined ? undefined : duration(options.maxTokenAge, 0, 'maxTokenAge'),
    strict: options.strict ?? false,
    authRequired: options.authRequired ?? true,
    allowQueryToken: options.allowQueryToken ?? false,
    maxTokenLength: integer(options.maxTokenLength, 8192, 'maxTokenLength'),
    realm: options.realm ?? 'api',
    delegateErrors,
    cache,
    timeoutDuration: integer(options.timeoutDuration, 5000, 'timeoutDuration'),
    cooldownDuration: duration(options.cooldownDuration, 30_000, 'cooldownDuration'),
    cacheMaxAge: duration(options.cacheMaxAge, 600_000, 'cacheMaxAge'),
    agent: options.agent,
  };
}
