import type { IncomingMessage } from 'node:http';
import { InvalidRequestError, InvalidTokenError, type AuthError } from './errors.js';

export interface CredentialPolicy {
  /** RFC 6750 §2.3 URI query parameter; off by default because URLs end up in logs. */
  allowQueryToken: boolean;
  maxTokenLength: number;
}

// RFC 6750 §2.1 b64token.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export function countAuthorizationHeaders(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 13 && name.toLowerCase() === 'authorization') count++;
  }
  return count;
}

function queryTokens(url: string): string[] {
  const q = url.indexOf('?');
  // The raw check skips parsing the usual query; a name may be percent-encoded (`access%5Ftoken`).
  if (q === -1 || (!url.includes('access_token', q) && !url.includes('%', q))) return [];
  return new URLSearchParams(url.slice(q + 1)).getAll('access_token');
}

/** Why a token's text is refused (RFC 6750 §2.1 syntax, length), or `undefined`. */
export function tokenSyntaxError(token: string, policy: CredentialPolicy): AuthError | undefined {
  if (token === '') return new InvalidRequestError('Empty bearer token');
  if (token.length > policy.maxTokenLength) return new InvalidTokenError('Token too large');
  // RFC 6750 §3.1 names a malformed access token invalid_token (401), not invalid_request.
  if (!B64TOKEN.test(token)) return new InvalidTokenError('Malformed token');
  return undefined;
}

export function checkToken(token: string, policy: CredentialPolicy): string {
  const refused = tokenSyntaxError(token, policy);
  if (refused) throw refused;
  return token;
}

/** RFC 6750 §2.2: methods whose request body has defined semantics (RFC 9110 §9.3). */
const BODY_METHODS: ReadonlySet<string | undefined> = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The `access_token` of a form-encoded body the app parsed before us, or `undefined`. RFC 6750 §2.2
 * counts a body token only in an `application/x-www-form-urlencoded` body of a request with body
 * semantics: any other body's field of that name (a JSON body; a GET, HEAD, OPTIONS or DELETE, whose
 * body has no defined meaning) is not a credential at all.
 */
function formBodyToken(req: IncomingMessage): unknown {
  const { body } = req as { body?: unknown };
  if (typeof body !== 'object' || body === null || !Object.hasOwn(body, 'access_token')) return undefined;
  if (!BODY_METHODS.has(req.method)) return undefined;
  const type = req.headers['content-type'];
  if (
    type === undefined ||
    type.split(';', 1)[0]!.trim().toLowerCase() !== 'application/x-www-form-urlencoded'
  ) {
    return undefined;
  }
  return (body as { access_token: unknown }).access_token;
}

/** The Authorization header's auth-scheme, matched case-insensitively (RFC 9110 §11.1). */
function hasScheme(header: string, scheme: 'bearer' | 'dpop'): boolean {
  const space = header.indexOf(' ');
  const end = space === -1 ? header.length : space;
  return end === scheme.length && header.slice(0, end).toLowerCase() === scheme;
}

/** Whether the request's (first) Authorization header uses `scheme`. */
export const usesScheme = (req: IncomingMessage, scheme: 'bearer' | 'dpop'): boolean =>
  req.headers.authorization !== undefined && hasScheme(req.headers.authorization, scheme);

/** A Bearer or DPoP credential after a comma: another header's line joined to ours. */
const JOINED_TOKEN = /,\s*(bearer|dpop)( |$)/i;

/** A request's access token and where it was: the Authorization header, a form body or the URI query. */
export interface PresentedToken {
  token: string;
  from: 'header' | 'body' | 'query';
}

/**
 * The access token of a request and where it came from, or `undefined` when it carries none (no
 * credentials, or an Authorization header of another scheme than `scheme`). Throws an `AuthError` when
 * the request is malformed (RFC 6750 §3.1): the same checks for the `Bearer` and the `DPoP` scheme
 * (several Authorization headers, on separate lines or joined by commas; a query token not allowed;
 * credentials in more than one place). The token's own text is not checked here (see
 * `tokenSyntaxError`): a token found in the verified-token cache passed that check when it was
 * verified, so only a token about to be verified needs it.
 */
export function extractToken(
  req: IncomingMessage,
  policy: CredentialPolicy,
  scheme: 'bearer' | 'dpop' = 'bearer',
): PresentedToken | undefined {
  const header = req.headers.authorization;
  // Node keeps only the first of repeated Authorization headers, so count the raw ones.
  if (header !== undefined && countAuthorizationHeaders(req.rawHeaders) > 1) {
    throw new InvalidRequestError('Several Authorization headers');
  }
  const fromQuery = queryTokens(req.url ?? '');
  const fromBody = formBodyToken(req);
  // RFC 6750 §3.1 refuses more than one method of sending an access token; another scheme's header
  // (Basic) sends none, unless a Bearer or DPoP credential was joined to its line.
  const tokenInHeader =
    header !== undefined &&
    (header === '' || hasScheme(header, 'bearer') || hasScheme(header, 'dpop') || JOINED_TOKEN.test(header));
  if (fromQuery.length > 0) {
    if (!policy.allowQueryToken) {
      throw new InvalidRequestError('Access tokens are not accepted in the query string');
    }
    if (fromQuery.length > 1 || tokenInHeader || fromBody !== undefined) {
      throw new InvalidRequestError('Credentials in more than one place');
    }
    return { token: fromQuery[0]!, from: 'query' };
  }
  if (fromBody !== undefined) {
    if (tokenInHeader || Array.isArray(fromBody)) {
      throw new InvalidRequestError('Credentials in more than one place');
    }
    if (typeof fromBody !== 'string') throw new InvalidRequestError('Malformed body credentials');
    return { token: fromBody, from: 'body' };
  }
  if (header === undefined) return undefined;
  if (header === '') throw new InvalidRequestError('Empty Authorization header');
  // Several Authorization headers joined into one line (RFC 9110 §5.3), as fetch and proxies send them:
  // a b64token (RFC 6750 §2.1) has no `,`, and ours may follow another scheme's credentials.
  const ours = hasScheme(header, scheme);
  if (ours ? header.includes(',') : JOINED_TOKEN.test(header)) {
    throw new InvalidRequestError('Several Authorization headers');
  }
  if (!ours) return undefined;
  const space = header.indexOf(' ');
  if (space === -1) return { token: '', from: 'header' };
  // RFC 7235 allows several spaces after the scheme; Node already trimmed the end.
  const rest = header.slice(space + 1);
  return { token: rest.charCodeAt(0) === 32 ? rest.replace(/^ +/, '') : rest, from: 'header' };
}
