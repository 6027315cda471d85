import type { AuthorizeParams } from './authorize.js';
import { CALLBACK_PARAMS, parseCallback, sameEndpoint } from './callback.js';
import { discover, type ServerMetadata } from './discovery.js';
import {
  AuthorizationError,
  GrantflowError,
  InvalidResponseError,
  LoginRequiredError,
  MissingRefreshTokenError,
  StateMismatchError,
} from './errors.js';
import type { IdTokenClaims, User } from './id-token.js';
import { exchangeCallback, startLogin, type LoginOptions } from './login.js';
import { buildLogoutUrl } from './logout.js';
import { resolveOptions, type AuthClientOptions } from './options.js';
import { saveTokens, sessionFrom } from './session.js';
import { silentAuthorize } from './silent.js';
import { createStore, type AuthEffect, type AuthEvent, type AuthSnapshot } from './state-machine.js';
import { createTransactionStore, type Transaction } from './storage.js';
import { createTabSync } from './tab-sync.js';
import { createTokenCache, normalizeScope, tokenCacheKey, type CacheContents } from './token-cache.js';
import { refreshTokens, type TokenResponse } from './token-endpoint.js';

export interface GetAccessTokenOptions {
  audience?: string;
  scope?: string;
  /** `on` (default): cache, then network; `off`: always the network; `cache-only`: never the network. */
  cacheMode?: 'on' | 'off' | 'cache-only';
}

export interface LogoutOptions {
  returnTo?: string;
  /** End the session here only, without visiting the server's logout endpoint. */
  localOnly?: boolean;
}

export interface AuthClient {
  getSnapshot(): AuthSnapshot;
  subscribe(listener: (snapshot: AuthSnapshot) => void): () => void;
  /** Creates verifier, state and nonce, stores the single-use transaction, and returns the URL. */
  buildAuthorizeUrl(options?: LoginOptions): Promise<string>;
  loginWithRedirect(options?: LoginOptions): Promise<void>;
  handleRedirectCallback(url?: string): Promise<{ appState: unknown }>;
  isCallbackUrl(url: string): boolean;
  getAccessToken(options?: GetAccessTokenOptions): Promise<string>;
  getUser(): Promise<User | undefined>;
  getIdTokenClaims(): Promise<IdTokenClaims | undefined>;
  isAuthenticated(): Promise<boolean>;
  checkSession(): Promise<void>;
  logout(options?: LogoutOptions): Promise<void>;
  destroy(): void;
}

const SILENT_ERRORS = ['login_required', 'consent_required', 'interaction_required'];
const SETTLE_ATTEMPTS = 10;
const SETTLE_INTERVAL_MS = 30;

// Refresh tokens are kept per audience: Auth0 issues one per API, as the login asked for it.
const storedRefreshToken = (contents: CacheContents, audience: string | undefined) =>
  contents.refresh_tokens[audience ?? ''];

export function createAuthClient(options: AuthClientOptions): AuthClient {
  const config = resolveOptions(options);
  const { issuer, clientId, endpoints, now, leeway } = config;
  const prefix = `grantflow.${clientId}`;
  const cache = createTokenCache(config.storage, `${prefix}.session`);
  const transactions = createTransactionStore(config.transactionStorage, `${prefix}.tx.`, now);

  let metadata: Promise<ServerMetadata> | undefined;
  const getMetadata = (): Promise<ServerMetadata> =>
    (metadata ??= endpoints
      ? Promise.resolve({
          issuer,
          authorization_endpoint: endpoints.authorization,
          token_endpoint: endpoints.token,
          end_session_endpoint: endpoints.endSession,
        })
      : discover(issuer, config.http).catch((error: unknown) => {
          metadata = undefined; // a failed discovery is retried by the next call
          throw error;
        }));

  // Bumped whenever the session is cleared, so a request in flight cannot bring it back.
  let epoch = 0;
  const inflight = new Map<string, Promise<string>>();
  let restoring: Promise<void> | undefined;

  const runEffect = (effect: AuthEffect): unknown => {
    switch (effect.type) {
      case 'clearSession':
        epoch++;
        inflight.clear();
        return cache.clear();
      case 'broadcast':
        return sync.post(effect.message);
      case 'restore':
        return (restoring = restore());
    }
  };
  const store = createStore({ status: 'unauthenticated' }, runEffect);
  const snapshot = store.getSnapshot;
  const send = (event: AuthEvent) => Promise.all(store.send(event));
  const fail = (error: unknown, endSession?: boolean) => {
    const failure = asGrantflowError(error);
    return send({
      type: 'FAILED',
      error: failure,
      endSession: endSession && failure.code === 'login_required',
    });
  };
  const sync = createTabSync(
    `grantflow:${issuer}:${clientId}`,
    (message) => void send({ type: message === 'login' ? 'REMOTE_LOGIN' : 'REMOTE_LOGOUT' }),
    config.crossTabSync,
  );

  // Scopes asked for are added to the defaults, as Auth0's SDK does.
  const scopeFor = (requested: string | undefined) => normalizeScope(`${config.scope} ${requested ?? ''}`);
  const defaultKey = tokenCacheKey(config.audience, config.scope);
  const cached = async (key: string) => {
    const token = await cache.get(key, now(), leeway);
    // Another tab may have renewed the default token in shared storage: this tab's snapshot follows.
    const { isAuthenticated, accessTokenExpiresAt } = snapshot();
    if (token && key === defaultKey && isAuthenticated && token.expires_at !== accessTokenExpiresAt) {
      const session = sessionFrom(config, await cache.read());
      if (session) await send({ type: 'AUTHENTICATED', session });
    }
    return token?.access_token;
  };

  /**
   * Another tab held the lock, yet the stored refresh token is still the one seen before waiting: that
   * tab's write may not have reached this one yet (browsers pass `localStorage` writes between tabs
   * asynchronously). Spending the old token would make the server revoke the session, so look again for
   * a moment before concluding the other tab did not rotate it.
   */
  async function settle(audience: string | undefined, stale: string | undefined): Promise<CacheContents> {
    let contents = await cache.read();
    for (let attempt = 0; stale && attempt < SETTLE_ATTEMPTS; attempt++) {
      if (storedRefreshToken(contents, audience) !== stale) break;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_INTERVAL_MS));
      contents = await cache.read();
    }
    return contents;
  }

  const login = async (loginOptions?: LoginOptions, overrides?: Partial<AuthorizeParams>) =>
    startLogin(config, await getMetadata(), transactions, loginOptions, overrides);

  /** Stores a token response, unless the session was cleared after `since` (the epoch when it was asked for). */
  const save = (
    meta: ServerMetadata,
    response: TokenResponse,
    audience: string | undefined,
    scope: string,
    since: number,
    login?: Transaction,
  ) =>
    saveTokens(config, cache, response, {
      issuer: meta.issuer,
      audience,
      key: tokenCacheKey(audience, scope),
      login,
      stillCurrent: () => since === epoch,
    });

  /**
   * A token from the cache or the server. Renewals run one at a time (and across tabs under a Web Lock),
   * re-reading the cache first: a rotating refresh token must never be spent twice. With `report`, the
   * state machine hears about it.
   */
  function obtain(
    audience: string | undefined,
    requested: string | undefined,
    cacheMode: string,
    report: boolean,
  ) {
    const merged = scopeFor(requested);
    const seen = cache.read();
    return sync.withLock(async (waited) => {
      const since = epoch;
      const contents = await settle(audience, waited ? storedRefreshToken(await seen, audience) : undefined);
      const hit = cacheMode !== 'off' && (await cached(tokenCacheKey(audience, merged)));
      if (hit) return hit;
      const doc = globalThis.document;
      const refreshToken = storedRefreshToken(contents, audience);
      if (!refreshToken && !doc) {
        throw contents.claims
          ? new MissingRefreshTokenError('no refresh token')
          : new LoginRequiredError('not logged in');
      }
      if (report) await send({ type: 'REFRESH' });
      const meta = await getMetadata();
      let response: TokenResponse;
      let transaction: Transaction | undefined;
      if (refreshToken) {
        response = await refreshTokens(
          meta.token_endpoint,
          // Without extra scopes the server keeps the granted ones; with them, the token must match its key.
          { client_id: clientId, refresh_token: refreshToken, scope: requested && merged, audience },
          config.http,
        ).catch((error: unknown) => {
          throw error instanceof GrantflowError && error.code === 'invalid_grant'
            ? new LoginRequiredError('refresh token rejected', { cause: error })
            : error;
        });
      } else {
        // No refresh token in a browser: a silent authorization (its transaction has this audience and scope).
        const redirectUri = config.silentRedirectUri;
        const url = await login(
          {},
          { prompt: 'none', redirect_uri: redirectUri, audience, scope: requested },
        );
        const params = parseCallback(await silentAuthorize(doc, url, redirectUri, config.timeout));
        if (!params) throw new StateMismatchError('no silent response');
        transaction = await transactions.take(params.state);
        response = await exchangeCallback(config, meta, params, transaction);
      }
      const session = await save(meta, response, audience, merged, since, transaction);
      if (report && session) await send({ type: 'AUTHENTICATED', session });
      return response.access_token;
    });
  }

  async function restore(): Promise<void> {
    try {
      await obtain(config.audience, undefined, 'on', false);
      const session = sessionFrom(config, await cache.read());
      await send(session ? { type: 'AUTHENTICATED', session } : { type: 'UNAUTHENTICATED' });
    } catch (error) {
      // Nothing usable to restore is the ordinary signed-out case, not an error.
      if (
        error instanceof LoginRequiredError ||
        error instanceof MissingRefreshTokenError ||
        (error instanceof AuthorizationError && SILENT_ERRORS.includes(error.error))
      ) {
        await runEffect({ type: 'clearSession' });
        await send({ type: 'UNAUTHENTICATED' });
      } else {
        await fail(error);
      }
    }
  }

  /** Runs `task`; a failure reaches the snapshot before it is rethrown. */
  const reported = async <T>(task: () => Promise<T>): Promise<T> => {
    try {
      return await task();
    } catch (error) {
      await fail(error);
      throw error;
    }
  };

  function cleanUrl(url: string) {
    const { history, location } = globalThis;
    if (!history?.replaceState || location?.href !== url) return;
    const clean = new URL(url);
    for (const name of CALLBACK_PARAMS) clean.searchParams.delete(name);
    history.replaceState(history.state, '', clean.href);
  }

  return {
    getSnapshot: snapshot,
    subscribe: store.subscribe,
    buildAuthorizeUrl: (loginOptions) => login(loginOptions),

    async loginWithRedirect(loginOptions) {
      await send({ type: 'LOGIN' });
      await config.navigate(await reported(() => login(loginOptions)));
    },

    async handleRedirectCallback(url = globalThis.location?.href) {
      if (typeof url !== 'string') throw new TypeError('url is required');
      const params = parseCallback(url);
      // Not a callback: leave the URL and the state alone.
      if (!params) throw new StateMismatchError('not a callback URL');
      try {
        return await reported(async () => {
          const transaction = await transactions.take(params.state);
          await send({ type: 'CALLBACK' });
          const since = epoch;
          const meta = await getMetadata();
          const response = await exchangeCallback(config, meta, params, transaction);
          const { audience, scope } = transaction;
          const session = await save(meta, response, audience, scope, since, transaction);
          if (session) await send({ type: 'AUTHENTICATED', session });
          return { appState: transaction.appState };
        });
      } finally {
        cleanUrl(url);
      }
    },

    isCallbackUrl(url) {
      try {
        return sameEndpoint(new URL(url), new URL(config.redirectUri)) && !!parseCallback(url);
      } catch {
        return false;
      }
    },

    async getAccessToken({ audience = config.audience, scope: requested, cacheMode = 'on' } = {}) {
      const key = tokenCacheKey(audience, scopeFor(requested));
      if (cacheMode !== 'off') {
        const hit = await cached(key);
        if (hit) return hit;
        if (cacheMode === 'cache-only') throw new LoginRequiredError('no cached token');
      }
      let flight = inflight.get(key);
      if (!flight) {
        const since = epoch;
        flight = obtain(audience, requested, cacheMode, true)
          .catch(async (error: unknown) => {
            // Reported only against a session: a signed-out caller just gets the error.
            if (since === epoch && snapshot().isAuthenticated) await fail(error, true);
            throw error;
          })
          .finally(() => {
            if (inflight.get(key) === flight) inflight.delete(key);
          });
        inflight.set(key, flight);
      }
      return flight;
    },

    getUser: async () => snapshot().user,
    getIdTokenClaims: async () => snapshot().idTokenClaims,
    isAuthenticated: async () => snapshot().isAuthenticated,

    async checkSession() {
      // CHECK applies only when signed out; its `restore` effect is awaited by `send`.
      if (store.getState().status === 'checking') await restoring;
      else await send({ type: 'CHECK' });
      const after = store.getState();
      if (after.status === 'error' && !after.session) throw after.error;
    },

    async logout({ returnTo, localOnly } = {}) {
      await send({ type: 'LOGOUT' });
      if (localOnly) return;
      const url = buildLogoutUrl(await getMetadata(), { clientId, returnTo, auth0: config.auth0Logout });
      if (url) await config.navigate(url.href);
    },

    destroy: () => sync.close(),
  };
}

/** Anything unexpected (a throwing custom storage, say) still reaches the snapshot as a typed error. */
function asGrantflowError(error: unknown): GrantflowError {
  return error instanceof GrantflowError
    ? error
    : new InvalidResponseError(error instanceof Error ? error.message : String(error));
}
