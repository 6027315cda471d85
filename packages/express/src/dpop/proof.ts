import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { errors, importJWK, jwtVerify, type JWK } from 'jose';
import { InvalidDpopProofError, InvalidRequestError } from '../errors.js';
import { typIs } from '../header-typ.js';

/** The claims of a proof this module has checked the shape of (RFC 9449 §4.2). */
export interface ProofClaims {
  jti: string;
  iat: number;
  htm: string;
  htu: string;
  ath: string | undefined;
  nonce: unknown;
  alg: string;
  jwk: Record<string, unknown>;
}

export interface ProofWindow {
  /** Oldest accepted `iat`, in seconds before now. */
  iatOffset: number;
  /** Latest accepted `iat`, in seconds after now (clock skew). */
  iatLeeway: number;
}

// Private members of EC, RSA, OKP and oct keys: a proof's `jwk` must be a public key (§4.3 check 7).
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const MAX_JTI = 256;

function countHeaders(rawHeaders: readonly string[], name: string): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.length === name.length && rawHeaders[i]!.toLowerCase() === name) count++;
  }
  return count;
}

/** The request's `DPoP` header; several are a malformed request (§4.3 check 1). */
export function readProofHeader(req: IncomingMessage): string | undefined {
  const proof = req.headers.dpop;
  if (proof === undefined) return undefined;
  if (typeof proof !== 'string' || countHeaders(req.rawHeaders, 'dpop') > 1 || proof.includes(',')) {
    throw new InvalidRequestError('Several DPoP headers');
  }
  return proof;
}

function decode(segment: string | undefined): unknown {
  try {
    return JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const invalid = (message: string) => new InvalidDpopProofError(message);

/**
 * Checks what can be checked without a signature (§4.3 checks 2-7 and the claims' types), before
 * any work on the token: one JWT, `typ: dpop+jwt`, an allowed asymmetric `alg`, a public `jwk`.
 */
export function precheckProof(proof: string, algorithms: ReadonlySet<string>): ProofClaims {
  const parts = proof.split('.');
  if (parts.length !== 3 || proof.length > 8192) throw invalid('DPoP proof is not a JWT');
  const header = decode(parts[0]);
  const payload = decode(parts[1]);
  if (!isObject(header) || !isObject(payload)) throw invalid('DPoP proof is not a JWT');
  if (!typIs(header.typ, 'dpop+jwt')) throw invalid('DPoP proof typ must be dpop+jwt');
  if (typeof header.alg !== 'string' || !algorithms.has(header.alg)) {
    throw invalid('DPoP proof signing algorithm not allowed');
  }
  const { jwk } = header;
  if (!isObject(jwk)) throw invalid('DPoP proof has no jwk');
  if (PRIVATE_MEMBERS.some((member) => member in jwk)) throw invalid('DPoP proof jwk must be a public key');
  // RFC 7517 §4.4: a key's `alg` names the one algorithm it is for.
  if (jwk.alg !== undefined && jwk.alg !== header.alg) throw invalid('DPoP proof jwk alg does not match alg');
  const { jti, iat, htm, htu, ath, nonce } = payload;
  if (typeof jti !== 'string' || jti === '') throw invalid('DPoP proof jti missing or invalid');
  if (jti.length > MAX_JTI) throw invalid(`DPoP proof jti longer than ${MAX_JTI} characters`);
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw invalid('DPoP proof iat missing or invalid');
  if (typeof htm !== 'string') throw invalid('DPoP proof htm mismatch');
  if (typeof htu !== 'string') throw invalid('DPoP proof htu mismatch');
  if (ath !== undefined && typeof ath !== 'string') throw invalid('DPoP proof ath mismatch');
  return { jti, iat, htm, htu, ath, nonce, alg: header.alg, jwk };
}

// Percent-encodings of unreserved characters decoded and the rest upper-cased (RFC 3986 §6.2.2).
function normalizePercent(path: string): string {
  return path.replace(/%[0-9a-fA-F]{2}/g, (match) => {
    const char = String.fromCharCode(parseInt(match.slice(1), 16));
    return /[A-Za-z0-9\-._~]/.test(char) ? char : match.toUpperCase();
  });
}

// A URI is printable ASCII (RFC 3986 §2): no space, control or invisible character, which WHATWG URL
// parsing would strip (from the host too) and so find the API's URL.
const NOT_IN_A_URI = /[^!-~]/;

function httpUrl(value: string): URL | undefined {
  if (NOT_IN_A_URI.test(value)) return undefined;
  const url = URL.parse(value);
  return url !== null && (url.protocol === 'http:' || url.protocol === 'https:') ? url : undefined;
}

/** `htu` and the request URL compared without query and fragment (§4.3 check 9), normalized. */
const normalizeUrl = (url: URL): string => url.origin + normalizePercent(url.pathname);

function normalizeHtu(value: string): string | undefined {
  const url = httpUrl(value);
  return url && normalizeUrl(url);
}

export const accessTokenHash = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');

export interface ProofRequest {
  method: string;
  url: string;
  token: string;
}

/**
 * The §4.3 checks of the proof itself, for a token already verified (by express-oauth2-jwt-bearer, or
 * found in the verified-token cache): on every request, whether the token's verification was cached or
 * not. Returns the proof key's thumbprint, which the caller compares with the token's `cnf.jkt` once the
 * server's nonce is checked (§4.3 checks 10 and 12). The same proof checks as express-oauth2-jwt-bearer's
 * DPoP mode (test/dpop-proof-checks.test.ts feeds both the same proofs), which can only run together
 * with a full token verification.
 */
export async function verifyProof(
  proof: string,
  claims: ProofClaims,
  request: ProofRequest,
  window: ProofWindow,
  algorithms: ReadonlySet<string>,
  keys: ProofKeys,
): Promise<string> {
  const thumbprint = jwkThumbprint(claims.jwk);
  if (thumbprint === undefined) throw invalid('DPoP proof jwk must be a public key');
  try {
    const key = await keys(claims.alg, thumbprint, claims.jwk);
    await jwtVerify(proof, key, { typ: 'dpop+jwt', algorithms: [...algorithms] });
  } catch (err) {
    throw invalid(claimFailure(err) ?? 'DPoP proof signature invalid');
  }
  checkClaims(claims, request, window);
  return thumbprint;
}

/**
 * jose checks a signed proof's optional `exp` and `nbf` too: such a failure is about the claims, not
 * the signature (which verified), so it is named for what it is.
 */
function claimFailure(err: unknown): string | undefined {
  if (err instanceof errors.JWTExpired) return 'DPoP proof expired';
  if (!(err instanceof errors.JWTClaimValidationFailed)) return undefined;
  return err.claim === 'nbf' && err.reason === 'check_failed'
    ? 'DPoP proof not yet valid'
    : 'DPoP proof claims invalid';
}

// RFC 7638: the required members of each key type, in lexicographic order.
const THUMBPRINT_MEMBERS: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x'],
};

// RFC 7638 §3 hashes the members as sent, and Node decodes base64url leniently (padding, a `.`, `+` and
// `/`, unused bits set): so that one key has one thumbprint, each member in base64url must be the one
// spelling of its bytes (RFC 7515 §2), with the size RFC 7518 §6.2.1.2 (EC) and RFC 8037 §2 (OKP) give
// a coordinate, and RSA's `n` and `e` without a leading zero byte (RFC 7518 §6.3.1.1, §6.3.1.2).
const BASE64URL_MEMBERS: Record<string, readonly string[]> = { EC: ['x', 'y'], OKP: ['x'], RSA: ['n', 'e'] };
const KEY_BYTES: Record<string, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66, Ed25519: 32, Ed448: 57 };

function wellEncoded(kty: string, jwk: Record<string, unknown>): boolean {
  const values: Buffer[] = [];
  for (const name of BASE64URL_MEMBERS[kty] ?? []) {
    const value = String(jwk[name]);
    const bytes = Buffer.from(value, 'base64url');
    if (bytes.toString('base64url') !== value) return false;
    values.push(bytes);
  }
  if (kty === 'RSA') return values.every((bytes) => bytes.length > 0 && bytes[0] !== 0);
  const crv = String(jwk.crv);
  return !Object.hasOwn(KEY_BYTES, crv) || values.every((bytes) => bytes.length === KEY_BYTES[crv]);
}

/** The JWK SHA-256 thumbprint (RFC 7638), what a bound token's `cnf.jkt` holds; `undefined` if not a key. */
export function jwkThumbprint(jwk: Record<string, unknown>): string | undefined {
  // Own keys only: a `kty` such as `toString` must not find an Object.prototype member.
  const { kty } = jwk;
  const members =
    typeof kty === 'string' && Object.hasOwn(THUMBPRINT_MEMBERS, kty) ? THUMBPRINT_MEMBERS[kty] : undefined;
  if (members === undefined || members.some((name) => typeof jwk[name] !== 'string')) return undefined;
  if (!wellEncoded(kty as string, jwk)) return undefined;
  const canonical = JSON.stringify(Object.fromEntries(members.map((name) => [name, jwk[name]])));
  return createHash('sha256').update(canonical).digest('base64url');
}

type PublicKey = Awaited<ReturnType<typeof importJWK>>;
export type ProofKeys = (alg: string, thumbprint: string, jwk: Record<string, unknown>) => Promise<PublicKey>;

/**
 * Imported public keys by algorithm and thumbprint (the same thumbprint is the same key), so a client
 * sending a proof per request costs one key import, not one per request.
 */
export function createProofKeys(max = 10_000): ProofKeys {
  const imported = new Map<string, Promise<PublicKey>>();
  return (alg, thumbprint, jwk) => {
    const id = `${alg}.${thumbprint}`;
    let key = imported.get(id);
    if (key === undefined) {
      if (imported.size >= max) imported.clear();
      key = importJWK(jwk as JWK, alg);
      key.catch(() => imported.delete(id));
      imported.set(id, key);
    }
    return key;
  };
}

/** §4.3 checks 8-11 on already decoded claims. */
export function checkClaims(claims: ProofClaims, request: ProofRequest, window: ProofWindow): void {
  if (claims.htm !== request.method) throw invalid('DPoP proof htm mismatch');
  const htu = httpUrl(claims.htu);
  // The target URI names no user (RFC 9110 §4.2.4), and the origin compared below would drop one.
  if (htu && (htu.username !== '' || htu.password !== '')) {
    throw invalid('DPoP proof htu must not carry a username or password');
  }
  // A URL that does not normalise (not http(s), unparseable) matches nothing, not even another such.
  if (htu === undefined || normalizeUrl(htu) !== normalizeHtu(request.url)) {
    throw invalid('DPoP proof htu mismatch');
  }
  const now = Math.floor(Date.now() / 1000);
  if (claims.iat < now - window.iatOffset || claims.iat > now + window.iatLeeway) {
    throw invalid('DPoP proof iat outside the acceptable window');
  }
  if (claims.ath !== accessTokenHash(request.token)) throw invalid('DPoP proof ath mismatch');
}
