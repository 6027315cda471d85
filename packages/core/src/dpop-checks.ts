import type { DpopProofRequest } from './dpop-proof.js';
import { has } from './option-checks.js';

/**
 * RFC 9449 §4.2, §8.1: `nonce = 1*NQCHAR` (printable ASCII but `"` and `\`), here at most 1024 of them:
 * the RFC sets no bound, and a nonce is signed into every later proof to its origin.
 */
export const isNonce = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= 1024 && /^[!#-[\]-~]+$/.test(value);

export function refuse(name: string, what: string, where = 'createDpopProof'): never {
  throw new TypeError(`${where}: ${name} must be ${what}`);
}

/**
 * The origin of an `htu`: an http(s) URL (RFC 9449 §4.2) without a username or password (RFC 9110 §4.2.4:
 * they would be signed into the proof). `undefined` for anything else.
 */
export function httpOrigin(url: unknown): string | undefined {
  try {
    const { protocol, username, password, origin } = new URL(url as string);
    return /^https?:$/.test(protocol) && !username && !password ? origin : undefined;
  } catch {
    return undefined;
  }
}

/** `dpop(options)`: each option given (not `undefined`) of the kind it is used as. */
export function checkDpopOptions(options: unknown): void {
  if (typeof options !== 'object' || !options) refuse('options', 'an object', 'dpop()');
  const { keyName, keyStore, indexedDB, crypto, now } = options as Record<string, unknown>;
  const checks: [string, unknown, unknown, string][] = [
    ['keyName', keyName, typeof keyName === 'string' && keyName, 'a non-empty string'],
    ['keyStore', keyStore, has('function', 'get', 'add', 'delete')(keyStore), 'a DpopKeyStore'],
    ['indexedDB', indexedDB, has('function', 'open')(indexedDB), 'an IDBFactory'],
    ['crypto', crypto, has('function', 'getRandomValues')(crypto) && (crypto as Crypto).subtle, 'a Crypto'],
    ['now', now, typeof now === 'function', 'a function'],
  ];
  for (const [name, value, ok, what] of checks) if (value !== undefined && !ok) refuse(name, what, 'dpop()');
}

/**
 * A proof request, checked before any key work; returns the origin its nonce is kept for and the nonce
 * given (`null`, what `headers.get('DPoP-Nonce')` gives for none, is none).
 */
export function checkProofRequest(request: DpopProofRequest): { origin: string; nonce: string | undefined } {
  if (typeof request !== 'object' || !request) refuse('the request', 'an object');
  const { method, url, accessToken, nonce } = request as unknown as Record<string, unknown>;
  // RFC 9110 §9.1: a method is a token.
  if (typeof method !== 'string' || !/^[\w!#$%&'*+.^`|~-]+$/.test(method)) refuse('method', 'a method token');
  const origin = httpOrigin(url) ?? refuse('url', 'an http(s) URL without username or password');
  if (accessToken !== undefined && !(typeof accessToken === 'string' && accessToken)) {
    refuse('accessToken', 'a non-empty string');
  }
  if (nonce != null && !isNonce(nonce)) refuse('nonce', '1 to 1024 NQCHAR (RFC 9449)');
  return { origin, nonce: nonce ?? undefined };
}
