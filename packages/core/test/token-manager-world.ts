import type { ServerMetadata } from '../src/discovery.js';
import { resolveOptions } from '../src/options.js';
import type { AuthEvent, AuthSnapshot } from '../src/state-machine.js';
import { memoryStorage, type StorageAdapter } from '../src/storage.js';
import { createTokenCache, tokenCacheKey, type CacheContents } from '../src/token-cache.js';
import { createTokenManager, type TokenManagerDeps } from '../src/token-manager.js';

export const ISSUER = 'https://idp.test/';
export const API = 'https://api.test/';
export const NOW = 1_700_000_000_000;
export const CLAIMS = { iss: ISSUER, sub: 'u1', aud: 'app', iat: NOW / 1000, exp: NOW / 1000 + 600 };
/** The default token's cache key: audience `API`, scopes `openid read` plus `offline_access`. */
export const DEFAULT_KEY = tokenCacheKey(API, 'openid read offline_access');

export const tokenAnswer = (access_token: string, extra: Record<string, unknown> = {}) =>
  Response.json({ access_token, token_type: 'Bearer', expires_in: 300, ...extra });

interface WorldOptions {
  /** Whether the lock was held by another tab when this one got it. */
  waited?: boolean;
  renewSilently?: TokenManagerDeps['renewSilently'];
  /** The client's default audience (`API` unless given; `undefined` for none). */
  audience?: string | undefined;
  storage?: StorageAdapter;
}

/**
 * A token manager over a real token cache in memory, with a recorded token endpoint (answers queued in
 * `answers`, else a fresh token), a state machine reduced to the events it is sent and the snapshot it
 * is shown, and timers whose short waits pass at once, recorded in `delays`.
 */
export function tokenManagerWorld(options: WorldOptions = {}) {
  const { waited = false, renewSilently, storage = memoryStorage() } = options;
  const requests: URLSearchParams[] = [];
  const answers: Array<() => Response | Promise<Response>> = [];
  const delays: number[] = [];
  const events: AuthEvent[] = [];
  const hooks = { onWait: () => undefined as unknown };
  const config = resolveOptions({
    issuer: ISSUER,
    clientId: 'app',
    redirectUri: 'https://app.test/callback',
    audience: 'audience' in options ? options.audience : API,
    scope: 'openid read',
    useRefreshTokens: true,
    now: () => NOW,
    fetch: async (_url, init) => {
      requests.push(new URLSearchParams(init.body as URLSearchParams));
      return (answers.shift() ?? (() => tokenAnswer(`at${requests.length}`)))();
    },
    environment: {
      timers: {
        // Short waits pass at once; a request's timeout (seconds) never fires here.
        setTimeout: (run, ms) => {
          if (ms >= 1000) return 0;
          delays.push(ms);
          hooks.onWait();
          queueMicrotask(run);
          return delays.length;
        },
        clearTimeout: () => undefined,
        setInterval: () => 0,
        clearInterval: () => undefined,
      },
    },
  });
  const cache = createTokenCache(storage, 'session');
  const snapshot: Partial<AuthSnapshot> = { isAuthenticated: false };
  const metadata = async () => ({ token_endpoint: `${ISSUER}token` }) as ServerMetadata;
  const tokens = createTokenManager({
    config,
    cache,
    metadata,
    lock: (task) => task(waited),
    send: async (event) => void events.push(event),
    snapshot: () => snapshot as AuthSnapshot,
    renewSilently,
  });
  const seed = (contents: Partial<CacheContents>) =>
    cache.write({ claims: CLAIMS, refresh_tokens: {}, tokens: {}, ...contents });
  return { tokens, cache, requests, answers, delays, events, hooks, snapshot, seed };
}

/** A cached token that expires `seconds` after `NOW`. */
export const cachedToken = (access_token: string, seconds: number, scope = 'openid read') => ({
  access_token,
  expires_at: NOW + seconds * 1000,
  scope,
  token_type: 'Bearer',
});
