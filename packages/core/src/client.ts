import { buildAuthorizeUrl, toUrl, type AuthorizeParams } from './authorize.js';
import { CALLBACK_PARAMS, parseCallback, type CallbackParams } from './callback.js';
import { discover, issuerFromDomain, type ServerMetadata } from './discovery.js';
import {
  AuthorizationError,
  GrantflowError,
  IdTokenInvalidError,
  InvalidResponseError,
  LoginRequiredError,
  MissingRefreshTokenError,
  StateMismatchError,
} from './errors.js';
import { DEFAULT_TIMEOUT, type FetchLike, type HttpOptions } from './http.js';
import {
  decodeJwt,
  userFromClaims,
  validateIdTokenClaims,
  type IdTokenClaims,
  type User,
} from './id-token.js';
import { buildLogoutUrl, isAuth0Issuer } from './logout.js';
import { createCodeVerifier, createNonce, createState, deriveCodeChallenge } from './pkce.js';
import type { RandomSource } from './random.js';
import { silentAuthorize } from './silent.js';
import { createStore, type AuthEffect, type AuthSnapshot, type Session } from './state-machine.js';
import {
  createTransactionStore,
  resolveStorage,
  webStorage,
  type StorageOption,
  type Transaction,
} from './storage.js';
import { createTabSync } from './tab-sync.js';
import { createTokenCache, normalizeScope, tokenCacheKey, type CacheContents } from './token-cache.js';
import { exchangeCode, refreshTokens, type TokenResponse } from './token-endpoint.js';

export interface AuthClientOptions {
  /** The OpenID Provider's issuer URL. */
  issuer?: string;
  /** Auth0 shorthand: `tenant.auth0.com` means issuer `https://tenant.auth0.com/`. */
  domain?: string;
  clientId: string;
  redirectUri: string;
  /** The API access tokens are for by default (Auth0's `audience`). */
  audience?: string;
  /** Default `openid profile email`. */
  scope?: string;
  /** Ask for `offline_access` and renew tokens with the (rotating) refresh token. */
  useRefreshTokens?: boolean;
  /** Where tokens live: `'memory'` (default), `'session'`, `'local'`, or an adapter. */
  storage?: StorageOption;
  /** Where login transactions wait for the callback; default `sessionStorage` where present, else `storage`. */
  transactionStorage?: StorageOption;
  /** Seconds before expiry at which a token is no longer handed out; default 60. */
  leeway?: number;
  /** Milliseconds for each request to the server and for silent authorization; default 10000. */
  timeout?: number;
  /** Endpoints to use without discovery. */
  endpoints?: { authorization: string; token: string; endSession?: string };
  /** Use Auth0's `/v2/logout` when there is no `end_session_endpoint`; default: the issuer is `*.auth0.com`. */
  auth0Logout?: boolean;
  /** Redirect URI for silent authorization in an iframe; default `redirectUri`. */
  silentRedirectUri?: string;
  /** Broadcast login/logout to other tabs; default true. */
  crossTabSync?: boolean;
  /** Extra authorization parameters sent with every login (e.g. `organization`). */
  authorizationParams?: Partial<AuthorizeParams>;
  fetch?: FetchLike;
  /** Epoch milliseconds; default `Date.now`. */
  now?: () => number;
  /** Leaves the page for the authorization server; default `location.assign`. */
  navigate?: (url: string) => void | Promise<void>;
  random?: RandomSource;
}

export interface LoginOptions {
  appState?: unknown;
  authorizationParams?: Partial<AuthorizeParams>;
}

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

const TRANSACTION_TTL = 30 * 60_000;
const SILENT_ERRORS = ['login_required', 'consent_required', 'interaction_required'];

export function createAuthClient(options: AuthClientOptions): AuthClient {
  const { clientId, redirectUri, useRefreshTokens, endpoints } = options;
  if (typeof clientId !== 'string' || !clientId) throw new TypeError('clientId is required');
  if (toUrl(redirectUri, 'redirectUri').hash || redirectUri.includes('#')) {
    throw new TypeError('redirectUri must not contain a fragment');
  }
  const issuer = options.issuer ?? (options.domain ? issuerFromDomain(options.domain) : undefined);
  if (!issuer) throw new TypeError('issuer or domain is required');
  toUrl(issuer, 'issuer');
  const now = options.now ?? Date.now;
  const leeway = options.leeway ?? 60;
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const http: HttpOptions = { fetch: options.fetch, timeout };
  const { random } = options;
  const navigate = options.navigate ?? ((url: string) => globalThis.location.assign(url));
  const scope = normalizeScope(
    `${options.scope ?? 'openid profile email'}${useRefreshTokens ? ' offline_access' : ''}`,
  );
  const defaultKey = tokenCacheKey(options.audience, scope);
  const prefix = `grantflow.${clientId}`;
  const storage = resolveStorage(options.storage);
  const cache = createTokenCache(storage, `${prefix}.session`);
  const transactions = createTransactionStore(
    options.transactionStorage
      ? resolveStorage(options.transactionStorage)
      : (webStorage('session') ?? storage),
    `${prefix}.tx.`,
    now,
  );

  let metadata: Promise<ServerMetadata> | undefined;
  const getMetadata = (): Promise<ServerMetadata> =>
    (metadata ??= endpoints
      ? Promise.resolve({
          issuer,
          authorization_endpoint: endpoints.authorization,
          token_endpoint: endpoints.token,
          end_session_endpoint: endpoints.endSession,
        })
      : discover(issuer, http).catch((error: unknown) => {
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
  const send = (event: Parameters<typeof store.send>[0]) => Promise.all(store.send(event));
  const sync = createTabSync(
    `grantflow:${issuer}:${clientId}`,
    (message) => void send({ type: message === 'login' ? 'REMOTE_LOGIN' : 'REMOTE_LOGOUT' }),
    options.crossTabSync !== false,
  );

  // Scopes asked for are added to the defaults, as Auth0's SDK does.
  const scopeFor = (requested: string | undefined) => normalizeScope(`${scope} ${requested ?? ''}`);

  const sessionFrom = (contents: CacheContents): Session | undefined => {
    const { claims } = contents;
    const token = contents.tokens[defaultKey];
    return (
      claims && {
        user: userFromClaims(claims),
        idTokenClaims: claims,
        accessTokenExpiresAt: token?.expires_at,
        scope: token?.scope,
      }
    );
  };

  /** Validates everything first, then writes the whole session at once. */
  async function storeTokens(
    response: TokenResponse,
    audience: string | undefined,
    key: string,
    since: number,
    login?: Transaction,
  ): Promise<Session | undefined> {
    const meta = await getMetadata();
    let claims: IdTokenClaims | undefined;
    if (response.id_token) {
      claims = validateIdTokenClaims(decodeJwt(response.id_token), {
        issuer: meta.issuer,
        clientId,
        now: now(),
        leeway,
        nonce: login?.nonce,
        maxAge: login?.max_age,
        organization: login?.organization,
      });
    } else if (login && login.scope.split(' ').includes('openid')) {
      throw new IdTokenInvalidError('no id_token');
    }
    if (since !== epoch) throw new LoginRequiredError('logged out meanwhile');
    let previous = await cache.read();
    // A login by someone else must not inherit the previous user's tokens.
    if (login && previous.claims?.sub !== claims?.sub) previous = { refresh_tokens: {}, tokens: {} };
    const audienceKey = audience ?? '';
    const contents: CacheContents = {
      claims: claims ?? previous.claims,
      refresh_tokens: {
        ...previous.refresh_tokens,
        [audienceKey]: response.refresh_token ?? previous.refresh_tokens[audienceKey],
      },
      tokens: {
        ...previous.tokens,
        [key]: {
          access_token: response.access_token,
          expires_at: now() + (response.expires_in ?? 0) * 1000,
          scope: response.scope,
        },
      },
    };
    await cache.write(contents);
    return sessionFrom(contents);
  }

  async function createLogin(
    { appState, authorizationParams }: LoginOptions = {},
    extra?: Partial<AuthorizeParams>,
  ): Promise<string> {
    const meta = await getMetadata();
    const params = { ...options.authorizationParams, ...authorizationParams, ...extra };
    const code_verifier = createCodeVerifier(43, random);
    const state = createState(random);
    const nonce = createNonce(random);
    const requested = normalizeScope(`${scope} ${[params.scope ?? ''].flat().join(' ')}`);
    const transaction: Transaction = {
      code_verifier,
      nonce,
      redirect_uri: params.redirect_uri ?? redirectUri,
      scope: requested,
      audience: params.audience ?? options.audience,
      max_age: params.max_age === undefined ? undefined : Number(params.max_age),
      organization: params.organization,
      appState,
      expires_at: now() + TRANSACTION_TTL,
    };
    const url = buildAuthorizeUrl(meta.authorization_endpoint, {
      ...params,
      client_id: clientId,
      redirect_uri: transaction.redirect_uri,
      scope: requested,
      audience: transaction.audience,
      state,
      nonce,
      code_challenge: await deriveCodeChallenge(code_verifier),
    });
    await transactions.save(state, transaction);
    return url.href;
  }

  /** Checks the response against its transaction, exchanges the code and stores the tokens. */
  async function finishLogin(params: CallbackParams, transaction: Transaction): Promise<Session | undefined> {
    const meta = await getMetadata();
    // RFC 9207: a response naming another issuer is a mix-up attack; required when the server says it sends it.
    if (
      params.iss === undefined
        ? meta.authorization_response_iss_parameter_supported
        : params.iss !== meta.issuer
    ) {
      throw new InvalidResponseError('callback: bad iss');
    }
    if (params.type === 'error') {
      throw params.error === 'login_required'
        ? new LoginRequiredError(params.error_description || 'login_required')
        : new AuthorizationError(params);
    }
    const since = epoch;
    const response = await exchangeCode(
      meta.token_endpoint,
      {
        client_id: clientId,
        code: params.code,
        code_verifier: transaction.code_verifier,
        redirect_uri: transaction.redirect_uri,
      },
      http,
    );
    const key = tokenCacheKey(transaction.audience, transaction.scope);
    return storeTokens(response, transaction.audience, key, since, transaction);
  }

  async function silentLogin(doc: Document, audience: string | undefined, requested: string | undefined) {
    const silentRedirectUri = options.silentRedirectUri ?? redirectUri;
    const url = await createLogin(
      {},
      { prompt: 'none', redirect_uri: silentRedirectUri, audience, scope: requested },
    );
    const params = parseCallback(await silentAuthorize(doc, url, silentRedirectUri, timeout));
    if (!params) throw new StateMismatchError('no silent response');
    return finishLogin(params, await transactions.take(params.state));
  }

  /**
   * A token for `key` from the cache or the server. Refreshes run one at a time (and across tabs under a
   * Web Lock), re-reading the cache first: a rotating refresh token must never be spent twice.
   */
  function obtain(
    audience: string | undefined,
    requested: string | undefined,
    cacheMode: string,
    report: boolean,
  ) {
    const merged = scopeFor(requested);
    const key = tokenCacheKey(audience, merged);
    return sync.withLock(async () => {
      if (cacheMode !== 'off') {
        const hit = await cache.get(key, now(), leeway);
        if (hit) return hit.access_token;
      }
      const contents = await cache.read();
      const doc = globalThis.document;
      // Refresh tokens are kept per audience: Auth0 issues one per API, as the login asked for it.
      const refreshToken = contents.refresh_tokens[audience ?? ''];
      if (!refreshToken && !doc) {
        throw contents.claims
          ? new MissingRefreshTokenError('no refresh token')
          : new LoginRequiredError('not logged in');
      }
      if (report) await send({ type: 'REFRESH' });
      const since = epoch;
      let session: Session | undefined;
      let accessToken: string;
      if (refreshToken) {
        const meta = await getMetadata();
        const response = await refreshTokens(
          meta.token_endpoint,
          // Without extra scopes the server keeps the granted ones; with them, the token must match its key.
          { client_id: clientId, refresh_token: refreshToken, scope: requested && merged, audience },
          http,
        ).catch((error: unknown) => {
          throw error instanceof GrantflowError && error.code === 'invalid_grant'
            ? new LoginRequiredError('refresh token rejected', { cause: error })
            : error;
        });
        session = await storeTokens(response, audience, key, since);
        accessToken = response.access_token;
      } else {
        session = await silentLogin(doc, audience, requested);
        const token = (await cache.read()).tokens[key];
        if (!token) throw new LoginRequiredError('no token');
        accessToken = token.access_token;
      }
      if (report && session) await send({ type: 'AUTHENTICATED', session });
      return accessToken;
    });
  }

  async function restore(): Promise<void> {
    try {
      await obtain(options.audience, undefined, 'on', false);
      const session = sessionFrom(await cache.read());
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
        await send({ type: 'FAILED', error: asGrantflowError(error) });
      }
    }
  }

  function cleanUrl(url: string) {
    const { history, location } = globalThis;
    if (!history?.replaceState || location?.href !== url) return;
    const clean = new URL(url);
    for (const name of CALLBACK_PARAMS) clean.searchParams.delete(name);
    history.replaceState(history.state, '', clean.href);
  }

  return {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    buildAuthorizeUrl: (login) => createLogin(login),

    async loginWithRedirect(login) {
      await send({ type: 'LOGIN' });
      let url: string;
      try {
        url = await createLogin(login);
      } catch (error) {
        await send({ type: 'FAILED', error: asGrantflowError(error) });
        throw error;
      }
      await navigate(url);
    },

    async handleRedirectCallback(url = globalThis.location?.href) {
      if (typeof url !== 'string') throw new TypeError('url is required');
      const params = parseCallback(url);
      // Not a callback: leave the URL and the state alone.
      if (!params) throw new StateMismatchError('not a callback URL');
      try {
        const transaction = await transactions.take(params.state);
        await send({ type: 'CALLBACK' });
        const session = await finishLogin(params, transaction);
        if (session) await send({ type: 'AUTHENTICATED', session });
        return { appState: transaction.appState };
      } catch (error) {
        await send({ type: 'FAILED', error: asGrantflowError(error) });
        throw error;
      } finally {
        cleanUrl(url);
      }
    },

    isCallbackUrl(url) {
      try {
        const at = new URL(url);
        const target = new URL(redirectUri);
        return at.origin === target.origin && at.pathname === target.pathname && !!parseCallback(at);
      } catch {
        return false;
      }
    },

    async getAccessToken({ audience = options.audience, scope: requested, cacheMode = 'on' } = {}) {
      const key = tokenCacheKey(audience, scopeFor(requested));
      if (cacheMode !== 'off') {
        const hit = await cache.get(key, now(), leeway);
        if (hit) return hit.access_token;
        if (cacheMode === 'cache-only') throw new LoginRequiredError('no cached token');
      }
      let flight = inflight.get(key);
      if (!flight) {
        const since = epoch;
        flight = obtain(audience, requested, cacheMode, true)
          .catch(async (error: unknown) => {
            // Reported only against a session: a signed-out caller just gets the error.
            if (since === epoch && store.getSnapshot().isAuthenticated) {
              const failure = asGrantflowError(error);
              await send({ type: 'FAILED', error: failure, endSession: failure.code === 'login_required' });
            }
            throw error;
          })
          .finally(() => {
            if (inflight.get(key) === flight) inflight.delete(key);
          });
        inflight.set(key, flight);
      }
      return flight;
    },

    getUser: async () => store.getSnapshot().user,
    getIdTokenClaims: async () => store.getSnapshot().idTokenClaims,
    isAuthenticated: async () => store.getSnapshot().isAuthenticated,

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
      const url = buildLogoutUrl(await getMetadata(), {
        clientId,
        returnTo,
        auth0: options.auth0Logout ?? isAuth0Issuer(issuer),
      });
      if (url) await navigate(url.href);
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
