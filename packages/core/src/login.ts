import { buildAuthorizeUrl, type AuthorizeParams } from './authorize.js';
import type { CallbackParams } from './callback.js';
import type { ServerMetadata } from './discovery.js';
import { AuthorizationError, InvalidResponseError, LoginRequiredError } from './errors.js';
import type { ClientConfig } from './options.js';
import { createCodeVerifier, createNonce, createState, deriveCodeChallenge } from './pkce.js';
import type { Transaction, TransactionStore } from './storage.js';
import { normalizeScope } from './token-cache.js';
import { exchangeCode, type TokenResponse } from './token-endpoint.js';

export interface LoginOptions {
  appState?: unknown;
  authorizationParams?: Partial<AuthorizeParams>;
}

const TRANSACTION_TTL = 30 * 60_000;

/** Creates verifier, state and nonce, saves the single-use transaction under `state`, returns the URL. */
export async function startLogin(
  config: ClientConfig,
  metadata: ServerMetadata,
  transactions: TransactionStore,
  { appState, authorizationParams }: LoginOptions = {},
  overrides?: Partial<AuthorizeParams>,
): Promise<string> {
  const { random } = config;
  const params = { ...config.authorizationParams, ...authorizationParams, ...overrides };
  const code_verifier = createCodeVerifier(43, random);
  const state = createState(random);
  const nonce = createNonce(random);
  const scope = normalizeScope(`${config.scope} ${[params.scope ?? ''].flat().join(' ')}`);
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
  };
  const url = buildAuthorizeUrl(metadata.authorization_endpoint, {
    ...params,
    client_id: config.clientId,
    redirect_uri,
    scope,
    audience,
    state,
    nonce,
    code_challenge: await deriveCodeChallenge(code_verifier),
  });
  await transactions.save(state, transaction);
  return url.href;
}

/** Checks an authorization response against its transaction and exchanges the code. */
export async function exchangeCallback(
  config: ClientConfig,
  metadata: ServerMetadata,
  params: CallbackParams,
  transaction: Transaction,
): Promise<TokenResponse> {
  // RFC 9207: a response naming another issuer is a mix-up attack; required when the server says it sends it.
  if (
    params.iss === undefined
      ? metadata.authorization_response_iss_parameter_supported
      : params.iss !== metadata.issuer
  ) {
    throw new InvalidResponseError('callback: bad iss');
  }
  if (params.type === 'error') {
    throw params.error === 'login_required'
      ? new LoginRequiredError(params.error_description || 'login_required')
      : new AuthorizationError(params);
  }
  return exchangeCode(
    metadata.token_endpoint,
    {
      client_id: config.clientId,
      code: params.code,
      code_verifier: transaction.code_verifier,
      redirect_uri: transaction.redirect_uri,
    },
    config.http,
  );
}
