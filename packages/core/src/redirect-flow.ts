import { buildAuthorizeUrl, checkResponseMode, type AuthorizeParams } from './authorize.js';
import { buildPushedAuthorizeUrl, pushAuthorizationRequest } from './par.js';
import {
  CALLBACK_PARAMS,
  fromServerIssuer,
  parseCallback,
  sameEndpoint,
  samePage,
  type CallbackParams,
} from './callback.js';
import type { ServerMetadata } from './discovery.js';
import { AuthorizationError, InvalidResponseError, LoginRequiredError } from './errors.js';
import { apiParameters, authorizeApiParameters } from './api-parameter.js';
import { isObject } from './http.js';
import type { ClientConfig } from './options.js';
import { createCodeVerifier, createNonce, createState, deriveCodeChallenge } from './pkce.js';
import type { AuthEvent } from './state-machine.js';
import type { Transaction, TransactionStore } from './storage.js';
import { mergeScopes, parseScope } from './scope.js';
import { exchangeCode, type TokenResponse } from './token-endpoint.js';
import type { TokenManager } from './token-manager.js';

export interface LoginOptions {
  appState?: unknown;
  authorizationParams?: Partial<AuthorizeParams>;
  /** `loginWithRedirect` leaves the page with this instead of the client's `navigate` (Auth0's SDK's name). */
  openUrl?: (url: string) => void | Promise<void>;
}

/** Marks the transaction of a popup sign-in, which only the opener may complete. */
export const POPUP_LOGIN = Symbol('popup login');
type StartOptions = LoginOptions & { [POPUP_LOGIN]?: true };

const TRANSACTION_TTL = 30 * 60_000;

/** PAR (RFC 9126) when the app opts in and the server offers it, or whenever the server requires it. */
async function authorizationUrl(config: ClientConfig, metadata: ServerMetadata, params: AuthorizeParams) {
  const endpoint = metadata.pushed_authorization_request_endpoint;
  const required = metadata.require_pushed_authorization_requests === true;
  if (!endpoint && required) {
    throw new InvalidResponseError('the server requires pushed authorization requests but names no endpoint');
  }
  if (!endpoint || !(required || config.pushedAuthorizationRequests)) {
    return buildAuthorizeUrl(metadata.authorization_endpoint, params);
  }
  const { request_uri } = await pushAuthorizationRequest(endpoint, params, config.http);
  return buildPushedAuthorizeUrl(metadata.authorization_endpoint, params.client_id, request_uri);
}

/** Creates verifier, state and (for an ID token) nonce, saves the single-use transaction under `state`, returns the URL. */
export async function startLogin(
  config: ClientConfig,
  metadata: ServerMetadata,
  transactions: TransactionStore,
  { appState, authorizationParams, [POPUP_LOGIN]: popup }: StartOptions = {},
  overrides?: Partial<AuthorizeParams>,
): Promise<{ url: string; state: string }> {
  const { random } = config;
  // Spread, a string would become one parameter per character.
  if (!isObject(authorizationParams ?? {})) throw new TypeError('authorizationParams must be an object');
  checkResponseMode(authorizationParams);
  const params = { ...config.authorizationParams, ...authorizationParams, ...overrides };
  const code_verifier = createCodeVerifier(43, random);
  const state = createState(random);
  const scope = mergeScopes(config.scope, params.scope);
  // `nonce` binds an ID token (OIDC Core §3.1.2.1): providers refuse it in a request without `openid`.
  const nonce = parseScope(scope).includes('openid') ? createNonce(random) : undefined;
  const { redirect_uri = config.redirectUri, audience = config.audience, max_age, organization } = params;
  const transaction: Transaction = {
    code_verifier,
    nonce,
    redirect_uri,
    scope,
    audience,
    max_age: max_age === undefined ? undefined : Number(max_age),
    organization,
    appState,
    expires_at: config.now() + TRANSACTION_TTL,
    ...(popup ? { popup } : {}),
  };
  const url = await authorizationUrl(config, metadata, {
    ...params,
    client_id: config.clientId,
    redirect_uri,
    scope,
    ...authorizeApiParameters(config, audience, params.resource),
    state,
    nonce,
    code_challenge: await deriveCodeChallenge(code_verifier, config.environment.crypto),
  });
  await transactions.save(state, transaction);
  return { url: url.href, state };
}

/** Checks an authorization response against its transaction and exchanges the code. */
export async function exchangeCallback(
  config: ClientConfig,
  metadata: ServerMetadata,
  params: CallbackParams,
  transaction: Transaction,
): Promise<TokenResponse> {
  if (!fromServerIssuer(params, metadata)) throw new InvalidResponseError('callback: bad iss');
  if (params.type === 'error') {
    const refusal =
      params.error === 'login_required' ? new LoginRequiredError(params) : new AuthorizationError(params);
    // As Auth0's AuthenticationError: the app can still go where the refused sign-in was to lead.
    throw Object.assign(refusal, { state: params.state, appState: transaction.appState });
  }
  return exchangeCode(
    metadata.token_endpoint,
    {
      client_id: config.clientId,
      code: params.code,
      code_verifier: transaction.code_verifier,
      redirect_uri: transaction.redirect_uri,
      // RFC 8707 §2.2: the token request names the resource again; Auth0 takes the audience from the code.
      resource: apiParameters(config, transaction.audience).resource,
    },
    config.http,
  );
}

export interface RedirectFlowDeps {
  config: ClientConfig;
  metadata: () => Promise<ServerMetadata>;
  transactions: TransactionStore;
  tokens: () => TokenManager;
  send: (event: AuthEvent) => Promise<unknown>;
}

/** What a handled callback gives: the login's `appState`, and the access token the sign-in got. */
export interface CallbackOutcome {
  appState: unknown;
  accessToken: string;
}

/** Authorize → callback → URL clean-up: the steps a redirect, a popup or a loopback login share. */
export interface RedirectFlow {
  /** Stores a new transaction and returns the authorization URL for it (and its `state`). */
  start(
    options?: StartOptions,
    overrides?: Partial<AuthorizeParams>,
  ): Promise<{ url: string; state: string }>;
  /** Removes the transaction `start` stored for `state`: its sign-in failed before its callback. */
  discard(state: string): Promise<void>;
  /** Spends the callback's transaction and exchanges its code; stores nothing and tells nobody. */
  exchange(params: CallbackParams): Promise<{ response: TokenResponse; transaction: Transaction }>;
  /** The whole callback: exchange, store the session, tell the state machine; the new access token too. */
  complete(params: CallbackParams): Promise<CallbackOutcome>;
  /** `url` is an authorization response at `redirectUri` (default: the client's). */
  isCallbackUrl(url: string, redirectUri?: string): boolean;
  /** Removes the callback's parameters from the address bar when the page is at `url` (any fragment). */
  cleanUrl(url: string): void;
}

export function createRedirectFlow({
  config,
  metadata,
  transactions,
  tokens,
  send,
}: RedirectFlowDeps): RedirectFlow {
  const { history, location } = config.environment;
  const flow: RedirectFlow = {
    start: async (options, overrides) =>
      startLogin(config, await metadata(), transactions, options, overrides),
    discard: (state) => transactions.discard(state),
    async exchange(params) {
      const transaction = await transactions.take(params.state);
      return { response: await exchangeCallback(config, await metadata(), params, transaction), transaction };
    },
    async complete(params) {
      const transaction = await transactions.take(params.state);
      await send({ type: 'CALLBACK' });
      const since = tokens().generation();
      const response = await exchangeCallback(config, await metadata(), params, transaction);
      const { audience, scope } = transaction;
      const session = await tokens().save(response, { audience, scope, login: transaction }, since);
      await send(session ? { type: 'AUTHENTICATED', session } : { type: 'UNAUTHENTICATED' });
      return { appState: transaction.appState, accessToken: response.access_token };
    },
    isCallbackUrl(url, redirectUri = config.redirectUri) {
      try {
        return sameEndpoint(new URL(url), new URL(redirectUri)) && !!parseCallback(url);
      } catch {
        return false;
      }
    },
    cleanUrl(url) {
      const here = location?.href;
      // A hash router writing its route changes only the fragment: the page still shows the callback (the
      // fragment now there stays). Another path or query is a page the app went to meanwhile: left alone.
      if (!history || here === undefined || !samePage(here, url)) return;
      const clean = new URL(here);
      for (const name of CALLBACK_PARAMS) clean.searchParams.delete(name);
      history.replaceState(history.state, '', clean.href);
    },
  };
  return flow;
}
