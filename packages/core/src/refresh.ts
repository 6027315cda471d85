import type { ServerMetadata } from './discovery.js';
import { isRecoverable, LoginRequiredError, OAuthError } from './errors.js';
import { apiParameters } from './api-parameter.js';
import type { ClientConfig } from './options.js';
import { parseScope } from './scope.js';
import { grantOf, OIDC_SCOPES, type CacheContents } from './token-cache.js';
import { refreshTokens, type TokenResponse } from './token-endpoint.js';

/**
 * The `scope` a refresh for `wanted` (the defaults plus `requested`) sends. RFC 6749 §6: it may name no
 * scope the grant lacks. What the server answered for this audience says what it granted, so a default
 * it withheld (say `email`) is not asked again; the scopes the app names stay, for the server to judge.
 */
export function refreshScope(
  tokens: CacheContents['tokens'],
  audience: string | undefined,
  wanted: string,
  requested: string,
): string {
  const granted = new Set(
    Object.entries(tokens).flatMap(([key, token]) => {
      const grant = grantOf(key, token);
      return grant.audience === (audience ?? '') ? grant.granted : [];
    }),
  );
  // A server that never names OIDC scopes in its answers granted them all the same.
  const namesOidc = [...granted].some((scope) => OIDC_SCOPES.has(scope));
  const named = parseScope(requested);
  const kept = (scope: string) =>
    granted.has(scope) || named.includes(scope) || (!namesOidc && OIDC_SCOPES.has(scope));
  return granted.size ? parseScope(wanted).filter(kept).join(' ') : wanted;
}

/**
 * The refresh token for `audience`, and the audience it is kept under. Refresh tokens are kept per
 * audience: Auth0 issues one per API, as the login asked for it. With resource indicators one grant
 * serves every resource the sign-in listed (RFC 8707 §2.2): another API the client's
 * `authorizationParams.resource` lists is asked for with the default API's refresh token. Only those (a
 * list one `loginWithRedirect` call names is not remembered): a server may spend a rotating refresh
 * token on a request it then refuses (`invalid_target`).
 */
export function refreshTokenFor(config: ClientConfig, contents: CacheContents, audience: string | undefined) {
  const own = contents.refresh_tokens[audience ?? ''];
  // Only with resource indicators: `authorizationParams.resource` beside an `audience` is refused.
  const listed: unknown[] = [config.authorizationParams?.resource].flat().map(String);
  if (own || !listed.includes(audience)) return { refreshToken: own, grantAudience: audience };
  return { refreshToken: contents.refresh_tokens[config.audience ?? ''], grantAudience: config.audience };
}

/** Spends a refresh token (RFC 6749 §6); the server refusing it ends the session: `login_required`. */
export async function refresh(
  {
    config,
    metadata,
    scopeFor,
  }: {
    config: ClientConfig;
    metadata: () => Promise<ServerMetadata>;
    scopeFor: (requested: string) => string;
  },
  { tokens }: CacheContents,
  refreshToken: string,
  audience: string | undefined,
  requested: string | undefined,
  params?: Readonly<Record<string, string>>,
): Promise<{ response: TokenResponse; transaction?: undefined }> {
  // Naming no scope keeps the granted one (RFC 6749 §6). Scopes a call names are sent, and with
  // `refreshWithScope` the defaults on every refresh, less what the grant lacks.
  const extra = requested ?? '';
  const grant = {
    // A call's own parameters go along (Auth0's SDK sends them); none replaces what the protocol sends.
    ...params,
    grant_type: 'refresh_token',
    client_id: config.clientId,
    refresh_token: refreshToken,
    ...apiParameters(config, audience),
    scope:
      extra || config.refreshWithScope ? refreshScope(tokens, audience, scopeFor(extra), extra) : undefined,
  };
  try {
    return { response: await refreshTokens((await metadata()).token_endpoint, grant, config.http) };
  } catch (error) {
    // A refusal is a 4xx (RFC 6749 §5.2: 400; Auth0: 403). A 5xx or 429 is the server's passing trouble,
    // which ends no session whatever its body names.
    throw error instanceof OAuthError && error.code === 'invalid_grant' && !isRecoverable(error)
      ? new LoginRequiredError('refresh token rejected', { cause: error })
      : error;
  }
}
