import { parseScope } from './scope.js';
import type { IdTokenClaims } from './id-token.js';
import { guardStorage, type StorageAdapter } from './storage.js';

export interface CachedToken {
  access_token: string;
  /** Epoch ms; absent when the server gave no `expires_in` (RFC 6749 §5.1: it is only recommended). */
  expires_at?: number | undefined;
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

/** Scopes about the ID token and the refresh token, which servers often leave out of an access token's. */
export const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'address', 'phone', 'offline_access']);

/** Scopes as a set: order and repeats do not make a different token. */
export const normalizeScope = (scope: string): string => [...new Set(parseScope(scope))].sort().join(' ');

/** Tokens are cached per audience + scope. */
export const tokenCacheKey = (audience: string | undefined, scope: string): string =>
  `${audience ?? ''} ${normalizeScope(scope)}`;

/**
 * Judged at call time: a timer could sleep through expiry (background tabs, laptops closed). A token
 * without a stated lifetime serves until the API refuses it (`createAuthFetch` then renews it).
 */
export const isFresh = (token: CachedToken, now: number, leewaySeconds: number): boolean =>
  token.expires_at === undefined || token.expires_at - now > leewaySeconds * 1000;

/**
 * The token cached under `key`, else (as Auth0's SDK does) one for the same audience whose scopes
 * include every scope `key` names; only tokens `usable` accepts serve.
 */
export function findToken(
  tokens: CacheContents['tokens'],
  key: string,
  usable: (token: CachedToken) => boolean = () => true,
): CachedToken | undefined {
  const exact = tokens[key];
  if (exact && usable(exact)) return exact;
  const { audience, asked: wanted } = grantOf(key);
  return Object.entries(tokens).find(([other, token]) => {
    const { audience: otherAudience, asked, granted } = grantOf(other, token);
    // The server may grant less than was asked (RFC 6749 §3.3): an API scope must have been granted too.
    const holds = (scope: string) =>
      asked.includes(scope) && (granted.includes(scope) || OIDC_SCOPES.has(scope));
    return otherAudience === audience && wanted.every(holds) && usable(token);
  })?.[1];
}

/**
 * What a cache key asked for and its token was granted: a key is the audience, then the scopes,
 * space-separated (audiences are URIs: RFC 8707 §2, no spaces); an answer without `scope` was granted
 * what it asked for (RFC 6749 §5.1).
 */
export function grantOf(key: string, token?: CachedToken) {
  const [audience = '', ...asked] = key.split(' ');
  return { audience, asked, granted: token?.scope === undefined ? asked : parseScope(token.scope) };
}

export interface TokenCache {
  read(): Promise<CacheContents>;
  /** A token for `key` (or a compatible one) with more than `leeway` seconds left at `now`, else `undefined`. */
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
      return findToken((await read()).tokens, cacheKey, (token) => isFresh(token, now, leewaySeconds));
    },
    write: async (contents) => storage.set(key, JSON.stringify(contents)),
    clear: async () => storage.remove(key),
  };
}
