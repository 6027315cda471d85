import { InvalidResponseError } from './errors.js';
import { expectJsonObject, requestJson, type HttpOptions } from './http.js';

/** The OpenID Provider metadata this client uses (OIDC Discovery 1.0 §3, RFC 9207 §3). */
export interface ServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string | undefined;
  /** RFC 7009 / RFC 8414. */
  revocation_endpoint?: string | undefined;
  authorization_response_iss_parameter_supported?: boolean | undefined;
  userinfo_endpoint?: string | undefined;
  pushed_authorization_request_endpoint?: string | undefined;
  require_pushed_authorization_requests?: boolean | undefined;
  [other: string]: unknown;
}

/** Without its terminating slashes: a loop, as `/\/+$/` is quadratic on a long run of them before the end. */
const withoutSlash = (issuer: string) => {
  let end = issuer.length;
  while (issuer[end - 1] === '/') end--;
  return issuer.slice(0, end);
};

/** Whether `value` is a URL naming a root path (`/`) and nothing after it (no query, no fragment). */
function isRootUrl(value: string): boolean {
  try {
    const { pathname, search, hash } = new URL(value);
    return pathname === '/' && !search && !hash;
  } catch {
    return false;
  }
}

/**
 * Whether a metadata document's `issuer` names `issuer`. It must be identical (OIDC Discovery §4.3,
 * RFC 8414 §3.3), with one allowance: a root path's slash does not count (`https://idp.example` is
 * `https://idp.example/`, RFC 3986 §6.2.3), while a longer path's does (`…/tenant` is not `…/tenant/`).
 * No other spelling a URL parser would equate (host case, default port, dot segments, backslashes,
 * whitespace, short IPv4 forms) is the same issuer.
 */
export function namesIssuer(named: unknown, issuer: string): named is string {
  if (typeof named !== 'string') return false;
  if (named === issuer) return true;
  const [bare, slashed] = named.length < issuer.length ? [named, issuer] : [issuer, named];
  return slashed === `${bare}/` && isRootUrl(bare) && isRootUrl(slashed);
}

/** Auth0's `domain` shorthand: `tenant.auth0.com` → `https://tenant.auth0.com/` (Auth0's issuers end in `/`). */
export function issuerFromDomain(domain: string): string {
  return `${withoutSlash(/^https?:\/\//.test(domain) ? domain : `https://${domain}`)}/`;
}

const REQUIRED = ['authorization_endpoint', 'token_endpoint'];
const ENDPOINTS = [
  ...REQUIRED,
  'end_session_endpoint',
  'revocation_endpoint',
  'userinfo_endpoint',
  'pushed_authorization_request_endpoint',
];

function isHttpUrl(value: unknown): boolean {
  try {
    return typeof value === 'string' && /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

const ACCEPT_JSON = { headers: { accept: 'application/json' } };

/**
 * RFC 8414 §3.1 (and RFC 9728 §3.1): the well-known segment goes between the host and the path, and
 * RFC 8414 drops an issuer's terminating `/` (`https://as.example/tenant/` → `…/oauth-authorization-server/tenant`).
 */
export function wellKnownUrl(identifier: string, suffix: string, dropTerminatingSlash = false): string {
  const url = new URL(identifier);
  const path = dropTerminatingSlash ? url.pathname.replace(/\/$/, '') : url.pathname.replace(/^\/$/, '');
  return `${url.origin}/.well-known/${suffix}${path}${url.search}`;
}

/** The OpenID Provider metadata request (OIDC Discovery §4.1: appended to the issuer's path). */
export const openIdConfiguration = (issuer: string, http?: HttpOptions) =>
  requestJson(`${withoutSlash(issuer)}/.well-known/openid-configuration`, ACCEPT_JSON, http);

/** The OAuth 2.0 Authorization Server Metadata request (RFC 8414 §3.1). */
export const authorizationServerMetadata = (issuer: string, http?: HttpOptions) =>
  requestJson(wellKnownUrl(issuer, 'oauth-authorization-server', true), ACCEPT_JSON, http);

/**
 * A metadata answer's document, once it names the issuer it was fetched for (OIDC Discovery §4.3, RFC
 * 8414 §3.3: identical but for a root path's slash, `namesIssuer`), so one issuer cannot stand in for
 * another. The document's own `issuer` is the one ID tokens and callbacks must then name exactly.
 */
export function checkMetadata(
  { status, body }: { status: number; body: unknown },
  issuer: string,
  what: string,
): ServerMetadata {
  const metadata = expectJsonObject(status, body, what);
  if (!namesIssuer(metadata.issuer, issuer)) {
    // Beyond a root path the slash is part of the identifier, and the usual slip: say so.
    const slash =
      typeof metadata.issuer === 'string' && withoutSlash(metadata.issuer) === withoutSlash(issuer);
    throw new InvalidResponseError(
      `${what}: issuer ${JSON.stringify(metadata.issuer)} is not ${issuer}${slash ? ' (the trailing slash counts)' : ''}`,
    );
  }
  return withEndpoints(metadata, what);
}

/**
 * Fetches `/.well-known/openid-configuration`; where the server has none (404), its RFC 8414 metadata
 * (an OAuth 2.0 server without OpenID Connect publishes only that). Either must name the issuer it was
 * fetched for (`checkMetadata`).
 */
export async function discover(issuer: string, http?: HttpOptions): Promise<ServerMetadata> {
  const answer = await openIdConfiguration(issuer, http);
  if (answer.status !== 404) return checkMetadata(answer, issuer, 'discovery');
  // Named apart: a refusal then is the RFC 8414 document's, and its 404 means the server has neither.
  return checkMetadata(
    await authorizationServerMetadata(issuer, http),
    issuer,
    'discovery (no openid-configuration; RFC 8414 authorization server metadata)',
  );
}

/**
 * The document, once each endpoint this client may call or send the browser to is an absolute http(s)
 * URL (the required two) or absent: a relative, non-string or `javascript:` one is a bad document, not
 * a `TypeError` at the first call that uses it.
 */
export function withEndpoints(metadata: Record<string, unknown>, what: string): ServerMetadata {
  for (const name of ENDPOINTS) {
    const value = metadata[name];
    if ((value != null || REQUIRED.includes(name)) && !isHttpUrl(value)) {
      throw new InvalidResponseError(`${what}: bad ${name}`);
    }
  }
  return metadata as ServerMetadata;
}
