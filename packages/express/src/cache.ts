import { LRUCache } from 'lru-cache';
import type { AuthResult } from 'express-oauth2-jwt-bearer';
import { deepFreeze } from './auth-result.js';

export interface VerifiedTokenCache {
  get(token: string): AuthResult | undefined;
  /**
   * Called after each successful verification. Stores the token from its second verification on,
   * until whichever comes first: `exp`, `iat + maxTokenAge`, or `ttl`.
   */
  set(result: AuthResult): void;
}

export interface VerifiedTokenCacheConfig {
  max: number;
  ttl: number;
  maxTokenAge: number | undefined;
  /** Epoch milliseconds; the same clock the verifier checks `exp` against. */
  now?: () => number;
}

/**
 * A 30-bit hash of a token's last 8 characters: for a JWS, its signature, so fingerprints spread
 * evenly. A small integer, unlike a sliced string: nothing to allocate, copy or hash again.
 */
export function fingerprint(token: string): number {
  let hash = token.length;
  for (let i = Math.max(0, token.length - 8); i < token.length; i++) {
    hash = Math.imul(hash, 31) + token.charCodeAt(i);
  }
  return hash & 0x3fffffff;
}

// A shared options object: lru-cache otherwise allocates one per lookup.
const GET_OPTIONS = {};

/**
 * Verified tokens, found by their exact text. Only successes are stored. A hit stands for the token's
 * verification only: how it was presented (and any proof of possession) is checked on every request.
 *
 * Entries are keyed by the token's fingerprint and hold the token, which a hit must equal: hashing 8
 * characters instead of a whole token is what makes a lookup cheap, and the full comparison means a
 * colliding fingerprint can only cost a miss, never return another token.
 *
 * Admission: a token enters the cache the second time it is verified. A stream of one-off tokens
 * would otherwise fill the cache with entries never read again, and the garbage collector would pay
 * for every one. The doorkeeper only remembers a fingerprint per token (a small integer, which the
 * garbage collector never has to trace) and is reset when it holds `max` of them; a fingerprint
 * collision merely admits an already verified token one verification early.
 */
export function createVerifiedTokenCache(config: VerifiedTokenCacheConfig): VerifiedTokenCache {
  const now = config.now ?? (() => Date.now());
  // ttlResolution 0: no debounce timer, so a frozen or mocked clock is honoured exactly.
  const lru = new LRUCache<number, AuthResult>({ max: config.max, perf: { now }, ttlResolution: 0 });
  const seen = new Set<number>();

  function admit(key: number): boolean {
    if (seen.has(key)) return true;
    if (seen.size >= config.max) seen.clear();
    seen.add(key);
    return false;
  }

  return {
    get(token) {
      const hit = lru.get(fingerprint(token), GET_OPTIONS);
      return hit !== undefined && hit.token === token ? hit : undefined;
    },
    set(result) {
      const { exp, iat } = result.payload;
      const key = fingerprint(result.token);
      if (typeof exp !== 'number' || !admit(key)) return;
      const at = now();
      let expiresAt = Math.min(exp * 1000, at + config.ttl);
      if (config.maxTokenAge !== undefined) {
        if (typeof iat !== 'number') return;
        expiresAt = Math.min(expiresAt, (iat + config.maxTokenAge) * 1000);
      }
      // lru-cache reads a ttl of 0 as "forever", so anything under 1 ms is simply not stored.
      const ttl = Math.floor(expiresAt - at);
      if (ttl >= 1) lru.set(key, deepFreeze(result), { ttl });
    },
  };
}
