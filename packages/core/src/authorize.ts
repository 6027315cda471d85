/** Protocol names of the authorization request; anything else given is passed through as a custom parameter. */
export interface AuthorizeParams {
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  state: string;
  nonce?: string | undefined;
  /** Space-separated, or an array joined with spaces. */
  scope?: string | readonly string[] | undefined;
  audience?: string | undefined;
  organization?: string | undefined;
  invitation?: string | undefined;
  prompt?: string | undefined;
  login_hint?: string | undefined;
  max_age?: number | string | undefined;
  acr_values?: string | undefined;
  ui_locales?: string | undefined;
  screen_hint?: string | undefined;
  [custom: string]: string | number | boolean | readonly string[] | undefined;
}

const REQUIRED = ['client_id', 'redirect_uri', 'code_challenge', 'state'] as const;

/**
 * The authorization request URL (RFC 6749 §4.1.1 + RFC 7636): always `response_type=code` with an S256
 * challenge, whatever the caller passes; undefined values are left out.
 */
export function buildAuthorizeUrl(endpoint: string | URL, params: AuthorizeParams): URL {
  const url = toUrl(endpoint, 'authorization endpoint');
  for (const name of REQUIRED) {
    if (typeof params[name] !== 'string' || !params[name]) throw new TypeError(`${name} is required`);
  }
  // The response comes back in the query; a fragment would be dropped or clash with it (RFC 6749 §3.1.2).
  if (toUrl(params.redirect_uri, 'redirect_uri').hash || params.redirect_uri.includes('#')) {
    throw new TypeError('redirect_uri must not contain a fragment');
  }
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    url.searchParams.set(name, Array.isArray(value) ? value.join(' ') : String(value));
  }
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('code_challenge_method', 'S256');
  return url;
}

export function toUrl(value: string | URL, what: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new TypeError(`${what} must be an absolute URL`);
  }
}
