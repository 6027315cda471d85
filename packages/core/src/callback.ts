import { InvalidResponseError } from './errors.js';
import type { ServerMetadata } from './discovery.js';

/** What the authorization server sent back to the redirect URI (RFC 6749 §4.1.2, RFC 9207 `iss`). */
export type CallbackParams =
  | { type: 'code'; code: string; state: string; iss: string | undefined }
  | {
      type: 'error';
      error: string;
      error_description: string | undefined;
      error_uri: string | undefined;
      state: string;
      iss: string | undefined;
    };

/**
 * The query parameters a callback carries; stripped from the address bar once handled. `session_state`
 * is OIDC Session Management's (Keycloak and others send it).
 */
export const CALLBACK_PARAMS = [
  'code',
  'state',
  'iss',
  'error',
  'error_description',
  'error_uri',
  'session_state',
];

/**
 * Reads an authorization response from a URL. Returns `undefined` for a URL that is not a callback (no
 * `state`, or neither `code` nor `error`); throws only `InvalidResponseError`, whatever the input.
 */
export function parseCallback(url: string | URL): CallbackParams | undefined {
  let query: URLSearchParams;
  try {
    query = new URL(url).searchParams;
  } catch {
    throw new InvalidResponseError('callback URL is not an absolute URL');
  }
  const one = (name: string): string | undefined => {
    const values = query.getAll(name);
    // RFC 6749 §3.1: parameters must not repeat; a repeat is a sign of tampering.
    if (values.length > 1) throw new InvalidResponseError(`callback repeats "${name}"`);
    return values[0];
  };
  const state = one('state');
  const code = one('code');
  const error = one('error');
  const iss = one('iss');
  if (!state || (!code && !error)) return undefined;
  if (error) {
    return {
      type: 'error',
      error,
      error_description: one('error_description'),
      error_uri: one('error_uri'),
      state,
      iss,
    };
  }
  return { type: 'code', code: code as string, state, iss };
}

/** Same origin and path: where a redirect URI points, whatever the query. */
export const sameEndpoint = (a: URL, b: URL): boolean => a.origin + a.pathname === b.origin + b.pathname;

/** Same address but for the fragment (what a hash router writes); false when either is no absolute URL. */
export function samePage(a: string, b: string): boolean {
  try {
    const [first, second] = [new URL(a), new URL(b)];
    first.hash = second.hash = '';
    return first.href === second.href;
  } catch {
    return false;
  }
}

/**
 * RFC 9207: whether an authorization response comes from this server: its `iss` is the server's, or it
 * has none and the server does not say it sends one. A response naming another issuer is a mix-up attack.
 */
export const fromServerIssuer = (params: CallbackParams, metadata: ServerMetadata): boolean =>
  params.iss === undefined
    ? !metadata.authorization_response_iss_parameter_supported
    : params.iss === metadata.issuer;
