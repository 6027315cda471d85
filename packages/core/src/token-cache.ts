import { parseScope } from './scope.js';
import type { IdTokenClaims } from './id-token.js';
import { guardStorage, type StorageAdapter } from './storage.js';

export interface CachedToken {
  access_token: string;
  /** Epoch ms. */
  expires_at: number;
  scope: string | undefined;
  /** `Bearer` or `DPoP` (absent in sessions stored before it was kept: Bearer). */
  token_type?: string | undefined;
}

/** Everything a session holds, stored as one value so a write is all-or-nothing. */
export interface CacheContents {
  /** Per audience (`''` for none). */
  refresh_tokens: Record<string, string | undefined>;
  claims?: IdTokenClaims | undefined;
  /** The raw ID token the claims come from (`getAccessToken({ detailedResponse: true })` hands it out). */
  id_token?: string | undefined;
  tokens: Record<string, CachedToken>;
}

/** Scopes as a set: order and repeats do not make a different token. */
export const normalizeScope = (scope: string): string => [...new Set(parseScope(scope))].sort().join(' ');

/** Tokens are cached per audience + scope. */
export const tokenCacheKey = (audience: string | undefined, scope: string): string =>
  `${audience ?? ''} ${normalizeScope(scope)}`;

/** Judged at call time: a timer could sleep through expiry (background tabs, laptops closed). */
export const isFresh = (token: CachedToken, now: number, leewaySeconds: number): boolean =>
  token.expires_at - now > leewaySeconds * 1000;

export interface TokenCache {
  read(): Promise<CacheContents>;
  /** A token for `key` with more than `leeway` seconds left at `now`, else `undefined`. */
  get(key: string, now: number, leewaySeconds: number): Promise<CachedToken | undefined>;
  write(contents: CacheContents): Promise<void>;
  clear(): Promise<void>;
}

export function createTokenCache(adapter: StorageAdapter, key: string): TokenCache {
  const storage = guardStorage(adapter);
  const read = async (): Promise<CacheContents> => {
    const stored = await storage.get(key);
    try {
      const contents = JSON.parse(stored ?? '') as CacheContents;
      if (contents?.tokens && contents.refresh_tokens) return contents;
    } catch {
      // nothing stored, or not ours to read: an empty session
    }
    return { refresh_tokens: {}, tokens: {} };
  };
  return {
    read,
    async get(cacheKey, now, leewaySeconds) {
      const token = (await read()).tokens[cacheKey];
      return token && isFresh(token, now, leewaySeconds) ? token : undefined;
    },
    write: async (contents) => storage.set(key, JSON.stringify(contents)),
    clear: async () => storage.remove(key),
  };
}
