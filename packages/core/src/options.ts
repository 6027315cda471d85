import { checkRedirectUri, toUrl, type AuthorizeParams } from './authorize.js';
import { issuerFromDomain } from './discovery.js';
import { resolveEnvironment, type Environment } from './environment.js';
import { DEFAULT_TIMEOUT, type FetchLike, type HttpOptions, type ProofOfPossession } from './http.js';
import { isAuth0Issuer } from './logout.js';
import { checkOptions } from './option-checks.js';
import type { RandomSource } from './random.js';
import type { AutomaticRenewal } from './automatic-renewal.js';
import type { PopupLogin } from './popup.js';
import { mergeScopes, parseScope } from './scope.js';
import type { SilentAuthorization } from './silent.js';
import {
  resolveStorage,
  sharedByTabs,
  webStorage,
  type StorageAdapter,
  type StorageOption,
} from './storage.js';
import type { TabSyncModule } from './tab-sync.js';

/** Endpoints given instead of discovery; the flags say what the server's metadata would. */
export interface Endpoints {
  authorization: string;
  token: string;
  endSession?: string;
  userinfo?: string;
  revocation?: string;
  pushedAuthorizationRequest?: string;
  /** The server sends `iss` with every authorization response (RFC 9207): then it is required. */
  authorizationResponseIssParameterSupported?: boolean;
  /** The server accepts only pushed authorization requests (RFC 9126 §5). */
  requirePushedAuthorizationRequests?: boolean;
}

export interface AuthClientOptions {
  /** The OpenID Provider's issuer URL. */
  issuer?: string;
  /** Auth0 shorthand: `tenant.auth0.com` means issuer `https://tenant.auth0.com/`. */
  domain?: string;
  clientId: string;
  /** Where the server sends the user back; or, as Auth0's SDK takes it, `authorizationParams.redirect_uri`. */
  redirectUri?: string;
  /** The API access tokens are for by default (Auth0's `audience`). */
  audience?: string;
  /**
   * Instead of `audience`, for a provider that takes RFC 8707 resource indicators: the default API, sent as
   * `resource` on the authorization and token requests, as is any `audience` a call names.
   */
  resource?: string;
  /** Default `openid profile email`. */
  scope?: string | readonly string[];
  /** Ask for `offline_access` and renew tokens with the (rotating) refresh token. */
  useRefreshTokens?: boolean;
  /** Where tokens live: `'memory'` (default), `'session'`, `'local'`, or an adapter. */
  storage?: StorageOption;
  /** Auth0's SDK's spelling of `storage`: `'memory'` or `'localstorage'` (`storage` wins). */
  cacheLocation?: 'memory' | 'localstorage';
  /** Where login transactions wait for the callback; default `sessionStorage` where present, else `storage`. */
  transactionStorage?: StorageOption;
  /** Seconds before expiry at which a token is no longer handed out; default 60. */
  leeway?: number;
  /** Milliseconds for each request to the server and for silent authorization; default 10000. */
  timeout?: number;
  /** Auth0's SDK's limits, in seconds: without `timeout`, the longer of them is it. */
  httpTimeoutInSeconds?: number;
  /** Also the popup's wait for the user when neither the call nor `popupWindow()` names one (else 300 s). */
  authorizeTimeoutInSeconds?: number;
  /** Endpoints to use without discovery (and what discovery would say of the server). */
  endpoints?: Endpoints;
  /** Log out through Auth0's `/v2/logout`; default: `domain` was given, or the issuer is `*.auth0.com`. */
  auth0Logout?: boolean;
  /** Redirect URI for silent authorization in an iframe; default `redirectUri`. */
  silentRedirectUri?: string;
  /** Extra authorization parameters sent with every login (e.g. `organization`). */
  authorizationParams?: Partial<AuthorizeParams>;
  /** Opt-in: restore a session without (or after a refused) refresh token in a hidden iframe (`hiddenIframe()`). */
  silentAuthorization?: SilentAuthorization;
  /** Opt-in: broadcast login/logout to the app's other tabs and renew under a Web Lock (`crossTabSync()`). */
  tabs?: TabSyncModule;
  /** Opt-in: sign in in a popup window (`popupWindow()`), for `loginWithPopup` and `getAccessTokenWithPopup`. */
  popup?: PopupLogin;
  /** Opt-in: renew the default access token ahead of expiry, on its own (`automaticRenewal()`). */
  renewal?: AutomaticRenewal;
  /** Push authorization parameters first (PAR, RFC 9126); default false, but always where the server requires it. */
  pushedAuthorizationRequests?: boolean;
  /** Where `logout()` returns to when the call names no `returnTo` (the end-session endpoint's `post_logout_redirect_uri`). */
  postLogoutRedirectUri?: string;
  /** Revoke the refresh tokens at logout (RFC 7009) where the server has a revocation endpoint. Default true. */
  revokeRefreshTokenOnLogout?: boolean;
  /**
   * Send the ID token as `id_token_hint` to the end-session endpoint (RP-Initiated Logout 1.0 §2), as Okta,
   * Keycloak and Duende want. Default false: the ID token would stay in the URL and the browser's history.
   */
  idTokenHintOnLogout?: boolean;
  /**
   * Name the scope on every refresh: the default scope, less what the server did not grant (RFC 6749 §6),
   * as Microsoft Entra ID requires. Default false: the refresh keeps the granted scope by leaving it out.
   */
  refreshWithScope?: boolean;
  /** Opt-in: proof of possession (DPoP) for token requests and `createAuthFetch`. */
  proof?: ProofOfPossession;
  /** The world the client touches; each member defaults to the runtime's (see `Environment`). */
  environment?: Partial<Environment>;
  fetch?: FetchLike;
  /** Epoch milliseconds; default `Date.now`. */
  now?: () => number;
  /** Leaves the page for the authorization server; default `location.assign`. */
  navigate?: (url: string) => void | Promise<void>;
  random?: RandomSource;
}

/** The options checked and defaulted once, eagerly, so a misconfiguration fails at construction. */
export interface ClientConfig extends Omit<
  AuthClientOptions,
  'storage' | 'transactionStorage' | 'environment'
> {
  issuer: string;
  redirectUri: string;
  silentRedirectUri: string;
  /** The default scope in the app's order, each scope once, `offline_access` added with refresh tokens. */
  scope: string;
  leeway: number;
  timeout: number;
  http: HttpOptions;
  now: () => number;
  navigate: (url: string) => void | Promise<void>;
  auth0Logout: boolean;
  /** How requests name the API a token is for: Auth0's `audience`, or RFC 8707's `resource`. */
  audienceParameter: 'audience' | 'resource';
  revokeRefreshTokenOnLogout: boolean;
  storage: StorageAdapter;
  /**
   * `storage: 'local'` where the page may use it, or an adapter of the app's own: the app's tabs may share
   * the tokens, so renewals take a Web Lock even without `tabs`. A page denied `localStorage` (a blocked
   * cross-site frame, denied Web Locks too) keeps them in its own memory.
   */
  sharedStorage: boolean;
  transactionStorage: StorageAdapter;
  environment: Environment;
  random: RandomSource;
}

/**
 * The default API, and how requests name it: Auth0's `audience` (also in `authorizationParams`), or RFC
 * 8707's `resource` (also `authorizationParams.resource`, whose first entry is then the default).
 */
function defaultApi({ audience, authorizationParams, resource }: AuthClientOptions) {
  const given = audience ?? authorizationParams?.audience;
  const listed = resource ?? [authorizationParams?.resource].flat()[0];
  if (listed !== undefined && given !== undefined) throw new TypeError('give audience or resource, not both');
  const audienceParameter: ClientConfig['audienceParameter'] = listed === undefined ? 'audience' : 'resource';
  return { audience: given ?? (listed === undefined ? undefined : String(listed)), audienceParameter };
}

const storageOption = ({ storage, cacheLocation }: AuthClientOptions): StorageOption | undefined =>
  storage ?? (cacheLocation === 'localstorage' ? 'local' : cacheLocation);

/** `timeout`, else the longer of Auth0's SDK's two limits in seconds. */
const timeoutOption = (options: AuthClientOptions) =>
  options.timeout ??
  (Math.max(options.httpTimeoutInSeconds ?? 0, options.authorizeTimeoutInSeconds ?? 0) * 1000 ||
    DEFAULT_TIMEOUT);

/**
 * Auth0's SDK's spelling of the default scope: as that SDK does, it always asks for `openid` (first,
 * unless written), so a scope copied from Auth0's examples (`read:current_user`) still signs the user in.
 */
function auth0Scope(scope: AuthorizeParams['scope']): string | undefined {
  const written = scope === undefined ? undefined : mergeScopes(scope);
  return written === undefined || parseScope(written).includes('openid')
    ? written
    : mergeScopes('openid', written);
}

export function resolveOptions(options: AuthClientOptions): ClientConfig {
  const { clientId, authorizationParams, now = Date.now } = options;
  if (typeof clientId !== 'string' || !clientId) throw new TypeError('clientId is required');
  checkOptions(options);
  const redirectUri = options.redirectUri ?? authorizationParams?.redirect_uri;
  if (redirectUri === undefined) throw new TypeError('redirectUri is required');
  checkRedirectUri(redirectUri, 'redirectUri');
  const issuer = options.issuer ?? (options.domain ? issuerFromDomain(options.domain) : undefined);
  if (!issuer) throw new TypeError('issuer or domain is required');
  toUrl(issuer, 'issuer');
  const environment = resolveEnvironment(options.environment);
  const timeout = timeoutOption(options);
  const storageChoice = storageOption(options);
  const storage = resolveStorage(storageChoice, environment);
  const { location } = environment;
  const { audience, audienceParameter } = defaultApi(options);
  const scope = options.scope ?? auth0Scope(authorizationParams?.scope);
  return {
    ...options,
    issuer,
    redirectUri,
    audience,
    // The top-level `audience` and `redirectUri` win at login too: tokens are looked up under the audience
    // the login asked for, and callbacks are recognised at the redirect URI.
    authorizationParams: authorizationParams && {
      ...authorizationParams,
      audience,
      redirect_uri: redirectUri,
    },
    silentRedirectUri: options.silentRedirectUri ?? redirectUri,
    // As Auth0's SDK orders it: the app's scope, then `offline_access`; extras a request names follow.
    scope: mergeScopes(
      scope ?? 'openid profile email',
      options.useRefreshTokens ? 'offline_access' : undefined,
    ),
    leeway: options.leeway ?? 60,
    timeout,
    http: { fetch: options.fetch, timeout, timers: environment.timers, proof: options.proof, now },
    now,
    navigate:
      options.navigate ??
      ((url) => {
        if (!location) throw new TypeError('navigate is required where there is no location');
        location.assign(url);
      }),
    // The `domain` shorthand is Auth0's (also beside an `issuer`, as Auth0's SDK takes both): its logout goes
    // through `/v2/logout`, custom domains included.
    auth0Logout: options.auth0Logout ?? (Boolean(options.domain) || isAuth0Issuer(issuer)),
    audienceParameter,
    revokeRefreshTokenOnLogout: options.revokeRefreshTokenOnLogout ?? true,
    storage,
    sharedStorage: sharedByTabs(storageChoice, environment),
    // The transaction must survive the redirect, which memory does not.
    transactionStorage: options.transactionStorage
      ? resolveStorage(options.transactionStorage, environment)
      : (webStorage(environment.sessionStorage) ?? storage),
    environment,
    random: options.random ?? ((bytes) => environment.crypto.getRandomValues(bytes)),
  };
}
