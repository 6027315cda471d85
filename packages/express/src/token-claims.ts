import type { JWTHeader, JWTPayload } from 'express-oauth2-jwt-bearer';
import { InvalidTokenError } from './errors.js';
import { typIs } from './header-typ.js';

/** A token's header and claims, decoded but not yet verified. */
export interface DecodedToken {
  header: JWTHeader;
  payload: JWTPayload;
}

export interface ClaimPolicy {
  algorithms: ReadonlySet<string>;
  clockTolerance: number;
  maxTokenAge: number | undefined;
  strict: boolean;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Whether a segment is spelt as RFC 7515 §2 base64url: no padding, no other character, and (RFC 4648
 * §3.5) the bits its last character carries beyond the data zero. Node decodes leniently (it skips
 * `~` and `=`, reads `+` and `/` as `-` and `_`, ignores those spare bits), so any other spelling of
 * a token's signature would verify too: one token, many texts, each its own cache entry.
 */
function canonicalBase64url(segment: string): boolean {
  if (!BASE64URL.test(segment)) return false;
  const rest = segment.length % 4;
  if (rest === 0) return true;
  const last = ALPHABET.indexOf(segment[segment.length - 1]!);
  // 2 characters carry 1 byte (4 spare bits), 3 carry 2 (2 spare bits); 1 carries no whole byte.
  return rest !== 1 && (last & (rest === 2 ? 0b1111 : 0b11)) === 0;
}

function decodeObject(segment: string): Record<string, unknown> | undefined {
  if (!canonicalBase64url(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString());
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Headers already decoded and accepted, by their encoded text: one issuer key, one header. */
export type HeaderCache = Map<string, JWTHeader>;
const HEADER_CACHE_SIZE = 64;

function acceptedHeader(segment: string, algorithms: ReadonlySet<string>, cache: HeaderCache): JWTHeader {
  const cached = cache.get(segment);
  if (cached) return cached;
  const header = decodeObject(segment);
  if (!header) throw new InvalidTokenError('Malformed token');
  // Before any key lookup: `none`, HMAC and unlisted algorithms never reach the JWKS.
  if (typeof header.alg !== 'string' || !algorithms.has(header.alg)) {
    throw new InvalidTokenError('Signing algorithm not allowed');
  }
  // RFC 7515 §4.1.4: a string. jose would ignore another type and try every key of the algorithm.
  if (header.kid !== undefined && typeof header.kid !== 'string') {
    throw new InvalidTokenError('Malformed token');
  }
  if (cache.size >= HEADER_CACHE_SIZE) cache.clear();
  cache.set(segment, header);
  return header;
}

/**
 * Decodes a compact JWS once, for routing and for the claim checks below; throws `InvalidTokenError`
 * for anything that is not one. Decoding only: the signature is verified by express-oauth2-jwt-bearer.
 */
export function decodeToken(
  token: string,
  algorithms: ReadonlySet<string>,
  headers: HeaderCache,
): DecodedToken {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first === -1 || second === -1 || token.indexOf('.', second + 1) !== -1) {
    throw new InvalidTokenError('Malformed token');
  }
  const header = acceptedHeader(token.slice(0, first), algorithms, headers);
  const payload = decodeObject(token.slice(first + 1, second));
  // The signature last: a header refused (`alg: none`, whose signature is empty) says why.
  if (!payload || !canonicalBase64url(token.slice(second + 1))) {
    throw new InvalidTokenError('Malformed token');
  }
  return { header, payload };
}

const optionalString = (value: unknown, strict: boolean): boolean =>
  typeof value === 'string' || (value === undefined && !strict);

function audienceMatches(aud: unknown, accepted: readonly string[]): boolean {
  if (typeof aud === 'string') return accepted.includes(aud);
  return Array.isArray(aud) && aud.some((a) => typeof a === 'string' && accepted.includes(a));
}

export type IatPolicy = Pick<ClaimPolicy, 'clockTolerance' | 'maxTokenAge' | 'strict'>;

/**
 * Whether a token's `iat` is refused: missing when required (`strict`, `maxTokenAge`), not a number,
 * or, under `maxTokenAge`, outside jose's window: too old only when `age - clockTolerance >
 * maxTokenAge`, too new only when `age < -clockTolerance` (a token issued this second is accepted).
 */
export function iatRefused(iat: unknown, policy: IatPolicy, now: number): boolean {
  const { clockTolerance: leeway, maxTokenAge } = policy;
  if (iat === undefined) return policy.strict || maxTokenAge !== undefined;
  if (typeof iat !== 'number') return true;
  if (maxTokenAge === undefined) return false;
  const age = now - iat;
  return age - leeway > maxTokenAge || age < -leeway;
}

function timeFailure(payload: JWTPayload, policy: ClaimPolicy, now: number): string | undefined {
  const { exp, nbf, iat } = payload;
  const { clockTolerance: leeway } = policy;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return 'Token has no valid expiry';
  if (exp <= now - leeway) return 'Token expired';
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + leeway)) return 'Token not yet valid';
  return iatRefused(iat, policy, now) ? 'Token issued at an unacceptable time' : undefined;
}

/**
 * The claim checks of RFC 9068 / express-oauth2-jwt-bearer, on the decoded token, so each failure has
 * its own description from our code rather than from the library's message text. The library runs
 * its own checks again after the signature; these only ever refuse, never accept.
 */
export function checkClaims(
  { header, payload }: DecodedToken,
  audience: readonly string[],
  policy: ClaimPolicy,
  now = Math.floor(Date.now() / 1000),
): InvalidTokenError | undefined {
  const time = timeFailure(payload, policy, now);
  if (time) return new InvalidTokenError(time);
  if (!audienceMatches(payload.aud, audience)) return new InvalidTokenError('Unexpected token audience');
  if (policy.strict && !typIs(header.typ, 'at+jwt')) return new InvalidTokenError('Unexpected token type');
  const { strict } = policy;
  if (
    !optionalString(payload.sub, strict) ||
    !optionalString(payload.client_id, strict) ||
    !optionalString(payload.jti, strict)
  ) {
    return new InvalidTokenError('Missing or invalid claim');
  }
  return undefined;
}
