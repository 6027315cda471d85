import { absoluteUrl, isStringArray, optionalString, optionsObject, type Fail } from './option-checks.js';

/** One authorization server whose access tokens the API accepts. */
export interface IssuerOptions {
  /** Issuer URL; its OpenID / OAuth discovery document gives `issuer` and `jwks_uri`. */
  issuerBaseURL?: string;
  /**
   * Expected `iss`: with `jwksUri` when nothing is discovered, or beside `issuerBaseURL` when the
   * issuer differs from the URL discovery is fetched from.
   */
  issuer?: string;
  /** JWKS location, when not discovered. */
  jwksUri?: string;
  /** Accepted `aud` value(s) of this issuer's tokens. Default: `requireAuth`'s `audience`. */
  audience?: string | string[];
}

export interface ResolvedIssuer {
  issuerBaseURL: string | undefined;
  issuer: string | undefined;
  jwksUri: string | undefined;
  audience: readonly string[];
  /** The `iss` tokens are routed by, without a trailing slash (see `routingKey`). */
  key: string;
}

const ISSUER_FIELDS: ReadonlySet<string> = new Set(
  Object.keys({ issuerBaseURL: 0, issuer: 0, jwksUri: 0, audience: 0 } satisfies Record<
    keyof IssuerOptions,
    0
  >),
);

/**
 * Tokens are routed by `iss` before any key lookup; the exact comparison is the library's (against
 * the configured or discovered issuer). Routing ignores one trailing slash, so an issuer base URL
 * `https://tenant.auth0.com` still routes Auth0's `https://tenant.auth0.com/`.
 */
export const routingKey = (iss: string): string => (iss.endsWith('/') ? iss.slice(0, -1) : iss);

/** The issuer a discovery URL belongs to (RFC 8414 §3.1 and OpenID Discovery §4 well-known forms). */
function issuerOfDiscoveryUrl(value: string): string {
  const url = new URL(value);
  const oidc = '/.well-known/openid-configuration';
  const oauth = '/.well-known/oauth-authorization-server';
  if (url.pathname.endsWith(oidc)) return url.origin + url.pathname.slice(0, -oidc.length);
  if (url.pathname.startsWith(oauth)) return url.origin + url.pathname.slice(oauth.length);
  return url.origin + url.pathname;
}

/** The accepted audiences; `[]` (none configured) for an empty list or an empty string. */
function audiences(value: unknown, name: string, fail: Fail): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' && !isStringArray(value)) {
    fail(`'${name}' must be a string or an array of strings.`);
  }
  const list = typeof value === 'string' ? [value] : (value as string[]);
  return list.length > 0 && list.every((a) => a !== '') ? list : [];
}

function resolveIssuer(
  entry: IssuerOptions,
  fallbackAudience: readonly string[] | undefined,
  fail: Fail,
  name: string,
  prefix: string,
): ResolvedIssuer {
  const { issuerBaseURL, issuer, jwksUri } = entry;
  if (!issuerBaseURL && !(issuer && jwksUri)) {
    fail(`${name} needs 'issuerBaseURL' (or both 'issuer' and 'jwksUri').`);
  }
  for (const [field, value] of Object.entries({ issuerBaseURL, jwksUri, issuer })) {
    if (value !== undefined) absoluteUrl(value, `${prefix}${field}`, fail);
  }
  const audience = audiences(entry.audience, `${prefix}audience`, fail) ?? fallbackAudience;
  if (!audience || audience.length === 0) {
    fail("no audience configured. Pass 'audience' or set AUDIENCE.");
  }
  return {
    issuerBaseURL,
    issuer,
    jwksUri,
    audience: audience!,
    key: routingKey(issuer ?? issuerOfDiscoveryUrl(issuerBaseURL!)),
  };
}

export interface IssuerSources {
  issuers?: IssuerOptions[];
  issuerBaseURL?: string;
  issuer?: string;
  jwksUri?: string;
  audience?: string | string[];
  env: Record<string, string | undefined>;
}

/** `issuers`: a non-empty array of objects with only `IssuerOptions`' fields. */
function listedEntries(
  { issuers, issuerBaseURL, issuer, jwksUri }: IssuerSources,
  fail: Fail,
): IssuerOptions[] {
  if (!Array.isArray(issuers) || issuers.length === 0) fail("'issuers' must be a non-empty array.");
  if (issuerBaseURL ?? issuer ?? jwksUri) {
    fail("pass either 'issuers' or a top-level 'issuerBaseURL' / 'issuer' / 'jwksUri', not both.");
  }
  // A loop, not `map`: a hole in the array is an entry that is not an object too.
  const entries: IssuerOptions[] = [];
  for (let i = 0; i < issuers!.length; i++) {
    entries.push(
      optionsObject(issuers![i], `issuers[${i}]`, ISSUER_FIELDS, fail) ??
        fail(`'issuers[${i}]' must be an object.`),
    );
  }
  return entries;
}

/** The top-level `issuerBaseURL` (or several, space-separated) or `issuer` + `jwksUri`, else the environment's. */
function singleEntries(sources: IssuerSources, fail: Fail): IssuerOptions[] {
  const { env } = sources;
  const explicit = sources.issuer !== undefined || sources.jwksUri !== undefined;
  const baseUrls = sources.issuerBaseURL ?? (explicit ? undefined : env.ISSUER_BASE_URL);
  const list = baseUrls?.split(/\s+/).filter(Boolean) ?? [];
  if (list.length === 0) {
    const issuer = sources.issuer ?? env.ISSUER;
    const jwksUri = sources.jwksUri ?? env.JWKS_URI;
    if (!(issuer && jwksUri)) {
      fail(
        "no issuer configured. Pass 'issuerBaseURL' (or both 'issuer' and 'jwksUri'), or set ISSUER_BASE_URL.",
      );
    }
    return [{ issuer, jwksUri }];
  }
  if (list.length === 1)
    return [{ issuerBaseURL: list[0], issuer: sources.issuer, jwksUri: sources.jwksUri }];
  return list.map((issuerBaseURL) => ({ issuerBaseURL }));
}

/**
 * Every configured issuer: `issuers`, or the top-level `issuerBaseURL` / `issuer` + `jwksUri`, or the
 * environment (`ISSUER_BASE_URL` may list several, space-separated).
 */
export function resolveIssuers(sources: IssuerSources, fail: Fail): ResolvedIssuer[] {
  for (const field of ['issuerBaseURL', 'issuer', 'jwksUri'] as const)
    optionalString(sources[field], field, fail);
  // `=== undefined`, not `??`: a `null` audience is a mistake to report, not a reason to read AUDIENCE.
  const given = sources.audience === undefined ? sources.env.AUDIENCE : sources.audience;
  const audience = audiences(given, 'audience', fail);
  const entries = sources.issuers === undefined ? singleEntries(sources, fail) : listedEntries(sources, fail);
  const listed = sources.issuers !== undefined;
  const resolved = entries.map((entry, i) =>
    resolveIssuer(
      entry,
      audience,
      fail,
      listed ? `'issuers[${i}]'` : entries.length > 1 ? `issuer #${i + 1}` : 'requireAuth',
      listed ? `issuers[${i}].` : '',
    ),
  );
  const keys = new Set<string>();
  for (const { key } of resolved) {
    if (keys.has(key)) fail(`issuer ${JSON.stringify(key)} is configured twice.`);
    keys.add(key);
  }
  return resolved;
}
