import { deepFreeze } from './deep-freeze.js';
import { IdTokenInvalidError, LoginRequiredError } from './errors.js';
import {
  checkRefreshedIdToken,
  decodeJwt,
  userFromClaims,
  validateIdTokenClaims,
  type IdTokenClaims,
} from './id-token.js';
import type { ClientConfig } from './options.js';
import { parseScope } from './scope.js';
import type { Session } from './state-machine.js';
import type { Transaction } from './storage.js';
import {
  findToken,
  isFresh,
  tokenCacheKey,
  type CachedToken,
  type CacheContents,
  type TokenCache,
} from './token-cache.js';
import type { TokenResponse } from './token-endpoint.js';

/** What the snapshot shows of stored tokens: the ID token's user and the default token's expiry. */
export function sessionFrom(config: ClientConfig, contents: CacheContents): Session | undefined {
  const { claims, tokens } = contents;
  const key = tokenCacheKey(config.audience, config.scope);
  const token =
    findToken(tokens, key, (candidate) => isFresh(candidate, config.now(), config.leeway)) ??
    findToken(tokens, key);
  return (
    claims && {
      user: deepFreeze(userFromClaims(claims)),
      idTokenClaims: deepFreeze(claims),
      accessTokenExpiresAt: token?.expires_at,
      scope: token?.scope,
      tokenType: token && (token.token_type ?? 'Bearer'),
    }
  );
}

/** `granted`: the scope when the answer names none (RFC 6749 §5.1: the one asked for; §6: a refresh's, the one granted before). */
const cachedToken = (response: TokenResponse, now: number, granted: string): CachedToken => ({
  access_token: response.access_token,
  expires_at: response.expires_in === undefined ? undefined : now + response.expires_in * 1000,
  scope: response.scope ?? granted,
  token_type: response.token_type,
});

export interface SaveTokens {
  issuer: string;
  audience: string | undefined;
  /** Cache key of the access token. */
  key: string;
  /** The scope the request asked for: granted when the answer names none (RFC 6749 §5.1). */
  scope: string;
  /** Present for a login: its nonce, max_age and organization are checked, and another user starts afresh. */
  login?: Transaction | undefined;
  /** Checked after validation, before writing: false once the session ended while the request was out. */
  stillCurrent: () => boolean;
}

/**
 * Validates a token response's ID token, then writes the whole session as one value, so a malformed
 * response never half-updates the cache, and a logout that happened meanwhile wins.
 */
export async function saveTokens(
  config: ClientConfig,
  cache: TokenCache,
  response: TokenResponse,
  { issuer, audience, key, scope, login, stillCurrent }: SaveTokens,
): Promise<Session | undefined> {
  const { now } = config;
  let previous = await cache.read();
  // A renewed ID token stays in the session's organization (or the configured one), as at login.
  const organization = login
    ? login.organization
    : (previous.claims?.org_id ?? config.authorizationParams?.organization);
  let claims: IdTokenClaims | undefined;
  if (response.id_token) {
    claims = validateIdTokenClaims(decodeJwt(response.id_token), {
      issuer,
      clientId: config.clientId,
      now: now(),
      leeway: config.leeway,
      nonce: login?.nonce,
      maxAge: login?.max_age,
      organization,
    });
  } else if (login && parseScope(login.scope).includes('openid')) {
    throw new IdTokenInvalidError('no id_token');
  }
  previous = await cache.read();
  if (!stillCurrent()) throw new LoginRequiredError('logged out meanwhile');
  // A login by someone else must not inherit the previous user's tokens.
  if (login && previous.claims?.sub !== claims?.sub) previous = { refresh_tokens: {}, tokens: {} };
  if (!login && claims && previous.claims) checkRefreshedIdToken(claims, previous.claims);
  const audienceKey = audience ?? '';
  const contents: CacheContents = {
    claims: claims ?? previous.claims,
    id_token: response.id_token ?? previous.id_token,
    refresh_tokens: {
      ...previous.refresh_tokens,
      [audienceKey]: response.refresh_token ?? previous.refresh_tokens[audienceKey],
    },
    tokens: {
      ...previous.tokens,
      [key]: cachedToken(response, now(), login ? scope : (previous.tokens[key]?.scope ?? scope)),
    },
  };
  await cache.write(contents);
  return sessionFrom(config, contents);
}
