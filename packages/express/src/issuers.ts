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

type Fail = (message: string) => never;

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

function audiences(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.length > 0 && list.every((a) => typeof a === 'string' && a !== '') ? list : [];
}

function resolveIssuer(
  entry: IssuerOptions,
  fallbackAudience: readonly string[] | undefined,
  fail: Fail,
  name: string,
): ResolvedIssuer {
  const { issuerBaseURL, issuer, jwksUri } = entry;
  if (!issuerBaseURL && !(issuer && jwksUri)) {
    fail(`${name} needs 'issuerBaseURL' (or both 'issuer' and 'jwksUri').`);
  }
  for (const [field, value] of Object.entries({ issuerBaseURL, jwksUri, issuer })) {
    if (value !== undefined && (typeof value !== 'string' || !URL.canParse(value))) {
      fail(`'${field}' must be an absolute URL, got ${JSON.stringify(value)}.`);
    }
  }
  const audience = audiences(entry.audience) ?? fallbackAudience;
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

/**
 * Every configured issuer: `issuers`, or the top-level `issuerBaseURL` / `issuer` + `jwksUri`, or the
 * environment (`ISSUER_BASE_URL` may list several, space-separated).
 */
export function resolveIssuers(sources: IssuerSources, fail: Fail): ResolvedIssuer[] {
  const { env } = sources;
  const audience = audiences(sources.audience ?? env.AUDIENCE);
  let entries: IssuerOptions[];
  if (sources.issuers !== undefined) {
    if (!Array.isArray(sources.issuers) || sources.issuers.length === 0) {
      fail("'issuers' must be a non-empty array.");
    }
    if (sources.issuerBaseURL ?? sources.issuer ?? sources.jwksUri) {
      fail("pass either 'issuers' or a top-level 'issuerBaseURL' / 'issuer' / 'jwksUri', not both.");
    }
    entries = sources.issuers;
    for (const entry of entries) {
      const unknown = Object.keys(entry ?? {}).filter((key) => !ISSUER_FIELDS.has(key));
      if (unknown.length > 0) fail(`unknown issuer option(s) ${unknown.map((k) => `'${k}'`).join(', ')}.`);
    }
  } else {
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
      entries = [{ issuer, jwksUri }];
    } else if (list.length === 1) {
      entries = [{ issuerBaseURL: list[0], issuer: sources.issuer, jwksUri: sources.jwksUri }];
    } else {
      entries = list.map((issuerBaseURL) => ({ issuerBaseURL }));
    }
  }
  const resolved = entries.map((entry, i) =>
    resolveIssuer(entry ?? {}, audience, fail, entries.length > 1 ? `issuer #${i + 1}` : 'requireAuth'),
  );
  const keys = new Set<string>();
  for (const { key } of resolved) {
    if (keys.has(key)) fail(`issuer ${JSON.stringify(key)} is configured twice.`);
    keys.add(key);
  }
  return resolved;
}
