import { LoginRequiredError, MissingRefreshTokenError } from './errors.js';
import type { ServerMetadata } from './discovery.js';
import type { ClientConfig } from './options.js';
import { refreshTokenFor } from './refresh.js';
import { renew, type RenewalDeps } from './renewal.js';
import { mergeScopes } from './scope.js';
import {
  failureEvent,
  keepRotatedRefreshToken,
  saveTokens,
  sessionFrom,
  type SaveTokens,
} from './session.js';
import { restoreSession } from './session-restore.js';
import type { AuthEvent, AuthSnapshot, Session } from './state-machine.js';
import type { TabSync } from './tab-sync.js';
import { tokenCacheKey, type CacheContents, type TokenCache } from './token-cache.js';
import { refreshTokenAnswered, type TokenResponse } from './token-endpoint.js';

export interface GetAccessTokenOptions {
  audience?: string;
  scope?: string;
  /** `on` (default): cache, then network; `off`: always the network; `cache-only`: never the network. */
  cacheMode?: 'on' | 'off' | 'cache-only';
  /** Further parameters (Auth0's `authorizationParams` beyond audience and scope) for a renewal's request. */
  params?: Readonly<Record<string, string>> | undefined;
}

/** What one call asks for, and the time limit it puts on getting it (`getAccessToken`, `checkSession`). */
export interface TokenRequest {
  options: GetAccessTokenOptions;
  within<T>(start: () => Promise<T>): Promise<T>;
}

export interface TokenManagerDeps {
  config: ClientConfig;
  cache: TokenCache;
  metadata: () => Promise<ServerMetadata>;
  lock: TabSync['withLock'];
  send: (event: AuthEvent) => Promise<unknown>;
  snapshot: () => AuthSnapshot;
  renewSilently?: RenewalDeps['renewSilently'];
}

export interface TokenManager {
  getAccessToken(options?: GetAccessTokenOptions): Promise<string>;
  /** Restores the session from storage or the server, with the default token or `request`'s. */
  restore(request?: TokenRequest): Promise<void>;
  /** Validates and stores a token response, unless the session generation moved on since `since`. */
  save(
    response: TokenResponse,
    target: Pick<SaveTokens, 'audience' | 'scope' | 'login' | 'refused' | 'spent' | 'renews' | 'renewal'> & {
      /** The API whose refresh token the answer replaces, when not `audience`'s own. */
      grantAudience?: string | undefined;
    },
    since: number,
  ): Promise<Session | undefined>;
  /** Bumped whenever the session is cleared, so a request in flight cannot bring it back. */
  generation(): number;
  clear(): Promise<void>;
}

const SETTLE_ATTEMPTS = 10;
const SETTLE_INTERVAL_MS = 30;

interface Context extends TokenManagerDeps {
  /** The session generation, bumped by `clear()`. */
  generation: number;
  inflight: Map<string, Promise<string>>;
  /** Scopes asked for are added to the defaults, as Auth0's SDK does. */
  scopeFor(requested: string | undefined): string;
  defaultKey: string;
  save: TokenManager['save'];
}

async function cached(context: Context, key: string) {
  const { cache, config, snapshot, send } = context;
  const since = context.generation;
  const token = await cache.get(key, config.now(), config.leeway);
  // Another tab may have renewed the default token in shared storage: this tab's snapshot follows. A
  // success clears the last failure; a signed-out snapshot (a call before `checkSession()`) shows the
  // stored session, as a renewal would. A restore or sign-in under way tells its own outcome.
  const { status, isAuthenticated, accessTokenExpiresAt, error } = snapshot();
  const news = isAuthenticated
    ? token?.expires_at !== accessTokenExpiresAt || error
    : status === 'unauthenticated' || status === 'error';
  if (token && key === context.defaultKey && news) {
    const session = sessionFrom(config, await cache.read());
    // A logout meanwhile ended what was read.
    if (session && since === context.generation) await send({ type: 'AUTHENTICATED', session });
  }
  return token?.access_token;
}

/**
 * Another tab held the lock, yet the stored refresh token is still the one seen before waiting: that
 * tab's write may not have reached this one yet (browsers pass `localStorage` writes between tabs
 * asynchronously). Spending the old token would make the server revoke the session, so look again for
 * a moment before concluding the other tab did not rotate it.
 */
async function settle(
  { cache, config }: Context,
  audience: string | undefined,
  stale: string | undefined,
): Promise<CacheContents> {
  let contents = await cache.read();
  for (let attempt = 0; stale && attempt < SETTLE_ATTEMPTS; attempt++) {
    if (refreshTokenFor(config, contents, audience).refreshToken !== stale) break;
    await new Promise((resolve) =>
      config.environment.timers.setTimeout(() => resolve(0), SETTLE_INTERVAL_MS),
    );
    contents = await cache.read();
  }
  return contents;
}

/**
 * A token from the cache or the server. Renewals run one at a time (across tabs under a Web Lock with the
 * cross-tab module), re-reading the cache first. With `report`, the state machine hears about it.
 */
function obtain(
  context: Context,
  { audience, scope: requested, cacheMode = 'on', params }: GetAccessTokenOptions,
  report: boolean,
) {
  const { cache, lock, send, renewSilently } = context;
  const scope = context.scopeFor(requested);
  // What was stored before waiting for the lock; read again under it, where a failure is reported.
  const seen = cache.read().catch(() => undefined);
  return lock(async (waited) => {
    const since = context.generation;
    const before = waited ? await seen : undefined;
    const contents = await settle(
      context,
      audience,
      before && refreshTokenFor(context.config, before, audience).refreshToken,
    );
    const hit = cacheMode !== 'off' && (await cached(context, tokenCacheKey(audience, scope)));
    if (hit) return hit;
    const { refreshToken, grantAudience } = refreshTokenFor(context.config, contents, audience);
    if (!refreshToken && !renewSilently) {
      throw contents.claims
        ? new MissingRefreshTokenError('no refresh token', audience, scope)
        : new LoginRequiredError('not logged in');
    }
    if (report) await send({ type: 'REFRESH' });
    const { response, session } = await renew(
      context,
      contents,
      { audience, requested, refreshToken, params },
      ({ response, transaction }, tokens) =>
        context.save(
          response,
          {
            ...{ audience, grantAudience, scope, login: transaction, ...tokens, renewal: true },
            renews: transaction && contents.claims?.sub,
          },
          since,
        ),
    ).catch(async (refused: unknown) => {
      const rotated = refreshTokenAnswered(refused);
      const stillCurrent = () => since === context.generation;
      const target = { audience: grantAudience, spent: refreshToken, stillCurrent };
      if (rotated) await keepRotatedRefreshToken(cache, target, rotated);
      throw refused;
    });
    if (report && session) await send({ type: 'AUTHENTICATED', session });
    return response.access_token;
  });
}

async function getAccessToken(context: Context, options: GetAccessTokenOptions): Promise<string> {
  const { audience = context.config.audience, scope: requested, cacheMode = 'on' } = options;
  const { inflight, config, send, cache } = context;
  const key = tokenCacheKey(audience, context.scopeFor(requested));
  if (cacheMode !== 'off') {
    const hit = await cached(context, key);
    if (hit) return hit;
    if (cacheMode === 'cache-only') throw new LoginRequiredError('no cached token');
  }
  const shared = inflight.get(key);
  if (shared) return shared;
  const since = context.generation;
  // Only the default audience's renewals show in the snapshot; what a failure means is the state machine's call.
  const isDefault = audience === config.audience;
  const flight: Promise<string> = obtain(context, { ...options, audience, cacheMode }, isDefault)
    .catch(async (error: unknown) => {
      // A failure that outlived its session (a logout meanwhile) has nothing left to tell.
      if (since === context.generation) await send(await failureEvent(config, cache, error, isDefault));
      throw error;
    })
    .finally(() => {
      if (inflight.get(key) === flight) inflight.delete(key);
    });
  inflight.set(key, flight);
  return flight;
}

/**
 * The token cache, renewed one request at a time: concurrent calls share one flight, renewals run under
 * the tab lock and re-read the cache first, so a rotating refresh token is never spent twice.
 */
export function createTokenManager(deps: TokenManagerDeps): TokenManager {
  const { config } = deps;
  const context: Context = {
    ...deps,
    generation: 0,
    inflight: new Map(),
    scopeFor: (requested) => mergeScopes(config.scope, requested),
    defaultKey: tokenCacheKey(config.audience, config.scope),
    save: async (
      response,
      { audience, grantAudience = audience, scope, login, refused, spent, renews, renewal },
      since,
    ) =>
      saveTokens(config, deps.cache, response, {
        issuer: (await deps.metadata()).issuer, // as discovered: a root issuer's slash may differ
        audience: grantAudience,
        key: tokenCacheKey(audience, scope),
        scope,
        login,
        refused,
        spent,
        renews,
        renewal,
        stillCurrent: () => since === context.generation,
      }),
  };
  return {
    getAccessToken: (options = {}) => getAccessToken(context, options),
    restore: (request) =>
      restoreSession(
        {
          ...deps,
          token: ({ audience = config.audience, ...asked }) =>
            asked.cacheMode === 'cache-only'
              ? cached(context, tokenCacheKey(audience, context.scopeFor(asked.scope)))
              : obtain(context, { ...asked, audience }, false),
        },
        request,
      ),
    save: context.save,
    generation: () => context.generation,
    clear() {
      context.generation++;
      context.inflight.clear();
      return deps.cache.clear();
    },
  };
}
