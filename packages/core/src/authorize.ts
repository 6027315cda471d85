import { isNumber } from './id-token.js';

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
  const search = authorizeSearchParams(params);
  // Ours replace the endpoint's own parameters of the same name; a repeated one (`resource`) stays repeated.
  for (const name of new Set(search.keys())) url.searchParams.delete(name);
  for (const [name, value] of search) url.searchParams.append(name, value);
  return url;
}

/** The authorization request's parameters, checked, for a URL or a pushed request's body (RFC 9126). */
export function authorizeSearchParams(params: AuthorizeParams): URLSearchParams {
  for (const name of REQUIRED) {
    if (typeof params[name] !== 'string' || !params[name]) throw new TypeError(`${name} is required`);
  }
  checkRedirectUri(params.redirect_uri, 'redirect_uri');
  checkParamValues(params);
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries({
    ...params,
    response_type: 'code',
    code_challenge_method: 'S256',
  })) {
    // RFC 8707 §2: several resources are the parameter repeated; any other list is space-separated (scope).
    if (name === 'resource' && Array.isArray(value)) for (const each of value) search.append(name, each);
    else if (value !== undefined) search.set(name, Array.isArray(value) ? value.join(' ') : String(value));
  }
  return search;
}

/** A scope as requests take it (a list is joined), and any parameter's list. */
export const isScope = (value: unknown): value is string | string[] =>
  typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));

/** Refuses, naming it, one parameter's value no URL can carry (an object goes out as `[object Object]`). */
export function checkParamValue(value: unknown, name: string): void {
  if (!(isScope(value) || typeof value === 'boolean' || isNumber(value))) {
    throw new TypeError(`${name} must be a string, a finite number, a boolean or a list of strings`);
  }
}

/** Refuses, naming it, a value no URL can carry (it would be sent as `[object Object]`, `null` or `NaN`), or a bad `max_age`. */
export function checkParamValues(params: object, prefix = ''): void {
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    // OIDC Core §3.1.2.1: whole seconds. Refused before the page is left: the ID token check would
    // otherwise fail only once the code is spent.
    if (name === 'max_age' && !(/^\d+$/.test(String(value)) && Number.isSafeInteger(Number(value)))) {
      throw new TypeError(`${prefix}max_age must be a whole number of seconds >= 0`);
    }
    checkParamValue(value, `${prefix}${name}`);
  }
}

/** An absolute URL without a fragment: the response comes back in the query, which a fragment would clash with (RFC 6749 §3.1.2). */
export function checkRedirectUri(value: string, what: string): void {
  toUrl(value, what);
  if (value.includes('#')) throw new TypeError(`${what} must not contain a fragment`);
}

export function toUrl(value: string | URL, what: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new TypeError(`${what} must be an absolute URL`);
  }
}

/**
 * The client reads the callback from the query: a `response_mode` that sends the answer elsewhere (a
 * fragment, a POST body, a message) would strand its login. (`buildAuthorizeUrl` alone allows any.)
 */
export function checkResponseMode(params: object | undefined, prefix = ''): void {
  const mode = (params as { response_mode?: unknown } | undefined)?.response_mode;
  if (mode !== undefined && mode !== 'query') {
    throw new TypeError(
      `${prefix}response_mode must be query: the answer is read from the callback URL's query`,
    );
  }
}
