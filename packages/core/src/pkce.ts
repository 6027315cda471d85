import { platformCrypto, type Environment } from './environment.js';
import { base64url, defaultRandom, randomString, type RandomSource } from './random.js';

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** A PKCE code verifier (RFC 7636 §4.1): base64url of random bytes; the default 43 carry 32 bytes. */
export function createCodeVerifier(length = 43, random: RandomSource = defaultRandom): string {
  if (!Number.isInteger(length) || length < 43 || length > 128) {
    throw new TypeError('length must be 43..128');
  }
  return randomString(Math.round((length * 3) / 4), random).slice(0, length);
}

/** The S256 challenge: base64url(SHA-256(ASCII(verifier))). `plain` is deliberately not offered. */
export async function deriveCodeChallenge(
  verifier: string,
  crypto: Environment['crypto'] = platformCrypto(),
): Promise<string> {
  if (typeof verifier !== 'string' || !VERIFIER.test(verifier)) {
    throw new TypeError('invalid code verifier');
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** An unguessable `state` value binding the callback to the request that started it. */
export const createState = (random?: RandomSource): string => randomString(32, random);

/** An unguessable `nonce` binding the ID token to this browser's request. */
export const createNonce = (random?: RandomSource): string => randomString(32, random);
