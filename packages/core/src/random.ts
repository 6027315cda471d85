import { platformCrypto } from './environment.js';

/** Fills a buffer with cryptographically strong random bytes (WebCrypto's `getRandomValues`). */
export type RandomSource = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>;

export const defaultRandom: RandomSource = (bytes) => platformCrypto().getRandomValues(bytes);

/** RFC 4648 §5 base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `size` random bytes, base64url-encoded: URL-safe and unguessable. */
export function randomString(size = 32, random: RandomSource = defaultRandom): string {
  return base64url(random(new Uint8Array(size)));
}
