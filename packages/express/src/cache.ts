import { LRUCache } from 'lru-cache';
import type { AuthResult } from 'express-oauth2-jwt-bearer';

export interface VerifiedTokenCache {
  get(token: string): AuthResult | undefined;
  /** Remembers a verified token until whichever comes first: `exp`, `iat + maxTokenAge`, or `ttl`. */
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
 * Verified tokens keyed by their exact text. Only successes are stored, and never sender-constrained
 * tokens (`cnf`, e.g. DPoP `jkt`): their proof must be checked on every request.
 */
export function createVerifiedTokenCache(config: VerifiedTokenCacheConfig): VerifiedTokenCache {
  const now = config.now ?? (() => Date.now());
  // ttlResolution 0: no debounce timer, so a frozen or mocked clock is honoured exactly.
  const lru = new LRUCache<string, AuthResult>({ max: config.max, perf: { now }, ttlResolution: 0 });
  return {
    get: (token) => lru.get(token),
    set(result) {
      const { exp, iat, cnf } = result.payload;
      if (cnf !== undefined || typeof exp !== 'number') return;
      const at = now();
      let expiresAt = Math.min(exp * 1000, at + config.ttl);
      if (config.maxTokenAge !== undefined) {
        if (typeof iat !== 'number') return;
        expiresAt = Math.min(expiresAt, (iat + config.maxTokenAge) * 1000);
      }
      // lru-cache reads a ttl of 0 as "forever", so anything under 1 ms is simply not stored.
      const ttl = Math.floor(expiresAt - at);
      if (ttl >= 1) lru.set(result.token, result, { ttl });
    },
  };
}
