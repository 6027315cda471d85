import { IdTokenInvalidError } from './errors.js';
import { isObject } from './http.js';

/** Registered and common ID token claims; providers add more. */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nbf?: number;
  azp?: string;
  nonce?: string;
  auth_time?: number;
  org_id?: string;
  org_name?: string;
  name?: string;
  email?: string;
  email_verified?: boolean;
  picture?: string;
  [claim: string]: unknown;
}

/** The user profile: the ID token's claims without the protocol ones. */
export interface User {
  sub: string;
  name?: string;
  email?: string;
  email_verified?: boolean;
  picture?: string;
  [claim: string]: unknown;
}

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  /** Epoch milliseconds. */
  now: number;
  /** Seconds of clock skew tolerated. */
  leeway: number;
  nonce?: string | undefined;
  /** Seconds; requires `auth_time` no older than this. */
  maxAge?: number | undefined;
  /** An `org_…` id compares with `org_id`, anything else with `org_name` (case-insensitively), as Auth0 does. */
  organization?: string | undefined;
}

/** Names the failed check; the claim values are not echoed into messages (they may end up in logs). */
const fail = (check: string): never => {
  throw new IdTokenInvalidError(`ID token: bad ${check}`);
};

/** A base64url segment's JSON (`undefined` when it is not base64url-encoded UTF-8 JSON). */
function decodeSegment(segment: string): unknown {
  try {
    const bytes = Uint8Array.from(atob(segment.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
      c.charCodeAt(0),
    );
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/**
 * Decodes a compact JWS payload without verifying the signature (see the README's security notes), but
 * refuses an unsigned one: an ID token must be signed (OIDC Core §2), so its header needs an `alg` other
 * than `none` or empty.
 */
export function decodeJwt(token: string): Record<string, unknown> {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) fail('format');
  const header = decodeSegment(parts[0] as string);
  const alg = isObject(header) && typeof header.alg === 'string' ? header.alg : fail('header');
  if (!alg || alg.toLowerCase() === 'none') fail('alg');
  const payload = decodeSegment(parts[1] as string);
  return isObject(payload) ? payload : fail('payload');
}

export const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** OIDC Core §3.1.3.7 claims checks (steps 2-3, 9-11, 13) for an ID token received from the token endpoint. */
export function validateIdTokenClaims(
  claims: Record<string, unknown>,
  expected: IdTokenExpectations,
): IdTokenClaims {
  const { iss, sub, aud, azp, exp, iat, nbf } = claims;
  const { leeway, maxAge = 0 } = expected;
  // Added to and compared with claims: a string would be concatenated (`exp + '60'`) and a NaN fail every
  // comparison, either passing a token that expired long ago.
  for (const [name, value] of Object.entries({ now: expected.now, leeway, maxAge })) {
    if (!(isNumber(value) && value >= 0)) throw new TypeError(`${name} must be a finite number >= 0`);
  }
  const now = expected.now / 1000;
  if (iss !== expected.issuer) fail('iss');
  if (typeof sub !== 'string' || !sub) fail('sub');
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(expected.clientId)) fail('aud');
  // azp: required with several audiences, and then (or whenever present) it must be us.
  if (azp === undefined ? audiences.length > 1 : azp !== expected.clientId) fail('azp');
  if (!isNumber(exp) || now > exp + leeway) fail('exp');
  // Issued in the future beyond the leeway: a wrong clock or a token made for later (§3.1.3.7 step 10).
  if (!isNumber(iat) || iat > now + leeway) fail('iat');
  if (nbf !== undefined && (!isNumber(nbf) || now < nbf - leeway)) fail('nbf');
  if (expected.nonce !== undefined && claims.nonce !== expected.nonce) fail('nonce');
  const { auth_time } = claims;
  if (
    expected.maxAge !== undefined &&
    !(isNumber(auth_time) && now <= auth_time + expected.maxAge + leeway)
  ) {
    fail('auth_time');
  }
  // Surrounding spaces are no part of it (as Auth0's SDK reads an organization it was given).
  const org = expected.organization?.trim();
  if (org !== undefined) {
    if (org.startsWith('org_')) {
      if (claims.org_id !== org) fail('org_id');
    } else if (typeof claims.org_name !== 'string' || claims.org_name.toLowerCase() !== org.toLowerCase()) {
      fail('org_name');
    }
  }
  return claims as IdTokenClaims;
}

/** `aud` as a set: a string and its one-element array, or the same audiences in another order, are equal. */
const audienceSet = (aud: unknown): string =>
  JSON.stringify([...new Set(Array.isArray(aud) ? aud : [aud])].sort());

/** The session's organization, which its renewals stay in: by id, else by name. */
export const organizationOf = (claims: IdTokenClaims | undefined): string | undefined =>
  claims?.org_id ?? claims?.org_name;

/**
 * OIDC Core §12.2: an ID token from a refresh is about the original authentication. The same user at the
 * same issuer; the same `aud`; the same `azp`, or none where the original had none; and, when it has an
 * `auth_time`, the original's (if that had one).
 */
export function checkRefreshedIdToken(claims: IdTokenClaims, original: IdTokenClaims): void {
  if (claims.sub !== original.sub || claims.iss !== original.iss) {
    throw new IdTokenInvalidError('refreshed id_token names another user');
  }
  const differs = (claim: string): never => {
    throw new IdTokenInvalidError(`refreshed id_token: ${claim} differs`);
  };
  if (audienceSet(claims.aud) !== audienceSet(original.aud)) differs('aud');
  if (claims.azp !== original.azp) differs('azp');
  const { auth_time } = claims;
  if (auth_time !== undefined && original.auth_time !== undefined && auth_time !== original.auth_time) {
    differs('auth_time');
  }
}

const PROTOCOL_CLAIMS = 'iss aud exp nbf iat jti azp nonce auth_time at_hash c_hash acr amr sid'.split(' ');

/** The user profile part of validated claims. */
export function userFromClaims(claims: IdTokenClaims): User {
  const user: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(claims)) if (!PROTOCOL_CLAIMS.includes(name)) user[name] = value;
  return user as User;
}
