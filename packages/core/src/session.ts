import { deepFreeze } from './deep-freeze.js';
import { asGrantflowError, IdTokenInvalidError, LoginRequiredError } from './errors.js';
import {
  checkRefreshedIdToken,
  decodeJwt,
  organizationOf,
  userFromClaims,
  validateIdTokenClaims,
  type IdTokenClaims,
} from './id-token.js';
import type { ClientConfig } from './options.js';
import { parseScope } from './scope.js';
import type { AuthEvent, Session } from './state-machine.js';
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
  // A lifetime past the last date there is (8.64e15 ms) ends there: Infinity would read as stale.
  expires_at:
    response.expires_in === undefined ? undefined : Math.min(now + response.expires_in * 1000, 8.64e15),
  scope: response.scope ?? granted,
  token_type: response.token_type,
});

export interface SaveTokens {
  issuer: string;
  /**
   * The API whose refresh token this answer replaces: the one the token is for, or the default API when
   * resource indicators let its grant serve another (RFC 8707 §2.2).
   */
  audience: string | undefined;
  /** Cache key of the access token. */
  key: string;
  /** The scope the request asked for: granted when the answer names none (RFC 6749 §5.1). */
  scope: string;
  /** Present for a login: its nonce, max_age and organization are checked, and another user starts afresh. */
  login?: Transaction | undefined;
  /** A refresh token the server refused, which this answer replaces: not kept, whether or not it brings one. */
  refused?: string | undefined;
  /** The refresh token a refresh spent: its answer is dropped if the storage no longer holds it. */
  spent?: string | undefined;
  /** The user whose stored session a silent renewal renews: its answer is dropped if that session left. */
  renews?: string | undefined;
  /** A renewal of the stored session, whose user it keeps: another user's silent answer is refused. */
  renewal?: boolean | undefined;
  /** Checked after validation, before writing: false once the session ended while the request was out. */
  stillCurrent: () => boolean;
}

/**
 * Validates a token response's ID token, then writes the whole session as one value, so a malformed
 * response never half-updates the cache, and a logout that happened meanwhile wins. A refresh whose ID
 * token is refused still keeps its rotated refresh token (see `keepRotatedRefreshToken`).
 */
export async function saveTokens(
  config: ClientConfig,
  cache: TokenCache,
  response: TokenResponse,
  target: SaveTokens,
): Promise<Session | undefined> {
  try {
    return await saveSession(config, cache, response, target);
  } catch (error) {
    const { refresh_token } = response;
    if (error instanceof IdTokenInvalidError && !target.login && refresh_token) {
      await keepRotatedRefreshToken(cache, target, refresh_token);
    }
    throw error;
  }
}

/**
 * A refresh whose answer is refused (its ID token here; a malformed answer, the token manager's) may
 * still have rotated the refresh token: the server has taken the old one as spent, and spending it again
 * would look like reuse, which ends the session (RFC 9700 §4.14.2). So the new one is stored under the
 * same audience; nothing else of the refused answer.
 */
export async function keepRotatedRefreshToken(
  cache: TokenCache,
  { audience, spent, stillCurrent }: Pick<SaveTokens, 'audience' | 'spent' | 'stillCurrent'>,
  refreshToken: string,
): Promise<void> {
  const previous = await cache.read();
  const audienceKey = audience ?? '';
  const stored = previous.refresh_tokens[audienceKey];
  // A session cleared meanwhile (here or in another tab), or replaced by another sign-in, gets nothing back.
  if (!stillCurrent() || !stored || (spent !== undefined && stored !== spent)) return;
  await cache.write({
    ...previous,
    refresh_tokens: { ...previous.refresh_tokens, [audienceKey]: refreshToken },
  });
}

/**
 * Refusals of a refresh answer whose session another sign-in replaced in the storage the tabs share:
 * they fail the call and end nothing, for the session there now is someone's.
 */
const supersededAnswers = new WeakSet<object>();

/**
 * Throws when the session an answer is for ended while the request was out: here (the generation moved),
 * or in another tab sharing the storage, which took the refresh token the request `spent` (or the session
 * a silent renewal `renews`) with the session, or stored another sign-in's since (renewals run one at a
 * time, so nothing else changes it).
 */
function checkStillTheSession(
  previous: CacheContents,
  { audience, spent, renews, stillCurrent }: SaveTokens,
) {
  const stored = previous.refresh_tokens[audience ?? ''];
  const gone = (spent !== undefined && !stored) || (renews !== undefined && !previous.claims);
  if (!stillCurrent() || gone) throw new LoginRequiredError('logged out meanwhile');
  if (
    (spent !== undefined && stored !== spent) ||
    (renews !== undefined && previous.claims?.sub !== renews)
  ) {
    const replaced = new LoginRequiredError('signed in anew meanwhile');
    supersededAnswers.add(replaced);
    throw replaced;
  }
}

/**
 * What the state machine hears of a failed renewal. One whose session another sign-in replaced in the
 * storage the tabs share ends nothing: this tab shows the session stored now, as for another tab's renewal.
 */
export async function failureEvent(
  config: ClientConfig,
  cache: TokenCache,
  error: unknown,
  isDefault: boolean,
): Promise<AuthEvent> {
  const session = supersededAnswers.has(error as object) && sessionFrom(config, await cache.read());
  return session
    ? { type: 'AUTHENTICATED', session }
    : { type: 'FAILED', error: asGrantflowError(error), renewal: isDefault ? 'default' : 'other' };
}

/** The answer's ID token, checked, unless it answers a login that asked for none. */
function checkedIdToken(
  config: ClientConfig,
  { id_token }: TokenResponse,
  { issuer, login }: SaveTokens,
  previous: CacheContents,
): { idToken?: string | undefined; claims?: IdTokenClaims | undefined } {
  // A login without `openid` sent no nonce to bind an ID token to it: one added anyway signs nobody in.
  if (login && !parseScope(login.scope).includes('openid')) return {};
  if (!id_token) {
    if (login) throw new IdTokenInvalidError('no id_token');
    return {};
  }
  // A renewed ID token stays in the session's organization (by id, else by name; or the configured one).
  const organization = login
    ? login.organization
    : (organizationOf(previous.claims) ?? config.authorizationParams?.organization);
  const claims = validateIdTokenClaims(decodeJwt(id_token), {
    issuer,
    clientId: config.clientId,
    now: config.now(),
    leeway: config.leeway,
    nonce: login?.nonce,
    maxAge: login?.max_age,
    organization,
  });
  return { idToken: id_token, claims };
}

async function saveSession(
  config: ClientConfig,
  cache: TokenCache,
  response: TokenResponse,
  target: SaveTokens,
): Promise<Session | undefined> {
  const { audience, key, scope, login, refused, renewal } = target;
  const { now } = config;
  let previous = await cache.read();
  const { idToken, claims } = checkedIdToken(config, response, target, previous);
  previous = await cache.read();
  checkStillTheSession(previous, target);
  if (login && previous.claims?.sub !== claims?.sub) {
    // The server's session is now someone else's: the stored one has ended there (as oidc-client-ts's
    // validateSubOnSilentRenew), and a renewal must not switch users behind the app's back.
    if (renewal && previous.claims) {
      const cause = new IdTokenInvalidError('id_token names another user');
      throw new LoginRequiredError('another user is signed in at the server', { cause });
    }
    // A login by someone else must not inherit the previous user's tokens.
    previous = { refresh_tokens: {}, tokens: {} };
  }
  if (!login && claims && previous.claims) checkRefreshedIdToken(claims, previous.claims);
  const audienceKey = audience ?? '';
  const stored = previous.refresh_tokens[audienceKey];
  const contents: CacheContents = {
    claims: claims ?? previous.claims,
    id_token: idToken ?? previous.id_token,
    refresh_tokens: {
      ...previous.refresh_tokens,
      [audienceKey]: response.refresh_token ?? (stored === refused ? undefined : stored),
    },
    tokens: {
      ...previous.tokens,
      [key]: cachedToken(response, now(), login ? scope : (previous.tokens[key]?.scope ?? scope)),
    },
  };
  await cache.write(contents);
  return sessionFrom(config, contents);
}
