import { base64url } from './random.js';

export interface DpopProofRequest {
  method: string;
  url: string;
  /** Set for requests to a resource server: its hash goes in `ath`. */
  accessToken?: string | undefined;
  /**
   * The server's latest `DPoP-Nonce` (RFC 9449 §8, §9), for a request the app makes itself; remembered for
   * that origin. Default (also for `null`, what `headers.get('DPoP-Nonce')` gives without one): the last
   * one this client was given there.
   */
  nonce?: string | null | undefined;
}

export interface DpopProofInput extends Omit<DpopProofRequest, 'nonce'> {
  nonce: string | undefined;
  keyPair: CryptoKeyPair;
  /** Epoch ms. */
  now: number;
  subtle: SubtleCrypto;
  /** A unique `jti`. */
  jti: string;
}

const utf8 = new TextEncoder();
const encodeJson = (value: unknown): string => base64url(utf8.encode(JSON.stringify(value)));

/** The public key's members a proof header carries (RFC 9449 §4.2: the public key only). */
export async function publicJwk(publicKey: CryptoKey, subtle: SubtleCrypto): Promise<JsonWebKey> {
  const { kty, crv, x, y } = await subtle.exportKey('jwk', publicKey);
  return { kty, crv, x, y };
}

/** `htu`: the request URL without query and fragment (RFC 9449 §4.2). */
export function htu(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  return parsed.href;
}

// fetch upper-cases these methods (and only these) before sending: `htm` must name what is sent.
const NORMALIZED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
const sentMethod = (method: string): string =>
  NORMALIZED.includes(method.toUpperCase()) ? method.toUpperCase() : method;

/** A DPoP proof JWT (RFC 9449 §4.2), signed ES256 with the key pair's private key. */
export async function createDpopProof(input: DpopProofInput): Promise<string> {
  const { keyPair, subtle, accessToken, nonce } = input;
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: await publicJwk(keyPair.publicKey, subtle) };
  const payload: Record<string, unknown> = {
    jti: input.jti,
    htm: sentMethod(input.method),
    htu: htu(input.url),
    iat: Math.floor(input.now / 1000),
  };
  if (accessToken !== undefined) {
    payload.ath = base64url(new Uint8Array(await subtle.digest('SHA-256', utf8.encode(accessToken))));
  }
  if (nonce !== undefined) payload.nonce = nonce;
  const signingInput = `${encodeJson(header)}.${encodeJson(payload)}`;
  const signature = await subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    keyPair.privateKey,
    utf8.encode(signingInput),
  );
  return `${signingInput}.${base64url(new Uint8Array(signature))}`;
}
