import { checkResponseMode } from './authorize.js';
import { TimeoutError } from './errors.js';
import { isObject } from './http.js';
import type { ClientConfig } from './options.js';
import { settleWithin } from './time-limit.js';
import type { TokenCache } from './token-cache.js';
import type { GetAccessTokenOptions, TokenManager, TokenRequest } from './token-manager.js';

/** `getAccessToken({ detailedResponse: true })`: the token with what the app may want to know of it. */
export interface AccessTokenResponse {
  access_token: string;
  id_token?: string | undefined;
  /** Seconds left, judged now; absent when the server gave the token no lifetime. */
  expires_in?: number | undefined;
  scope: string | undefined;
  token_type: string;
}

export interface AccessTokenOptions extends GetAccessTokenOptions {
  /**
   * Auth0's SDK spelling of `audience` and `scope` (`getTokenSilently`); the top-level ones win. Other
   * parameters (strings) go with a refresh and a silent authorization, as Auth0's SDK sends them.
   */
  authorizationParams?: {
    audience?: string | undefined;
    scope?: string | undefined;
    [name: string]: unknown;
  };
  /** Give up after this many seconds with a `TimeoutError` (the renewal itself may still land later). */
  timeoutInSeconds?: number;
}

export interface GetAccessToken {
  (options: AccessTokenOptions & { detailedResponse: true }): Promise<AccessTokenResponse>;
  (options?: AccessTokenOptions & { detailedResponse?: false }): Promise<string>;
  (options?: AccessTokenOptions & { detailedResponse?: boolean }): Promise<string | AccessTokenResponse>;
}

/** Seconds a timer can wait: it fires at once for NaN, Infinity and 2^31 ms or more. */
export const isTimeLimit = (value: unknown): boolean =>
  typeof value === 'number' && value > 0 && value * 1000 < 2 ** 31;

const isString = (value: unknown) => typeof value === 'string';
/** A further parameter's value, as the authorization request takes it (`max_age: 3600`). */
const isParameter = (value: unknown) =>
  value === undefined || isString(value) || typeof value === 'boolean' || Number.isFinite(value);

/** Each token option with what it must be; `createAuthFetch` takes the same. */
export const TOKEN_OPTIONS: Record<string, [string, (value: unknown) => boolean]> = {
  audience: ['a string', isString],
  scope: ['a string', isString],
  cacheMode: [
    "'on', 'off' or 'cache-only'",
    (value) => ['on', 'off', 'cache-only'].includes(value as string),
  ],
  timeoutInSeconds: ['a number of seconds > 0 and < 2^31 ms', isTimeLimit],
  // Auth0's spelling of the first two.
  authorizationParams: [
    '{ audience?: string, scope?: string, [parameter]: string | number | boolean }',
    (value) =>
      isObject(value) &&
      Object.entries(value).every(([name, item]) =>
        name === 'audience' || name === 'scope' ? item === undefined || isString(item) : isParameter(item),
      ),
  ],
};

/** Refuses, naming it, a token option of the wrong type: `audience: {}` would reach the server as `[object Object]`. */
export function checkTokenOptions(asked: object, prefix = ''): void {
  for (const [name, [kind, accepts]] of Object.entries(TOKEN_OPTIONS)) {
    const value = (asked as Record<string, unknown>)[name];
    if (value !== undefined && !accepts(value)) throw new TypeError(`${prefix}${name} must be ${kind}`);
  }
}

/** A call's further parameters as sent: strings, undefined ones left out. */
function parametersOf(given: Record<string, unknown>): Record<string, string> | undefined {
  const sent = Object.entries(given).filter(([, value]) => value !== undefined);
  return sent.length ? Object.fromEntries(sent.map(([name, value]) => [name, String(value)])) : undefined;
}

/** A call's token request, its options checked: what it asks for (Auth0's spelling read too) and its time limit. */
export function tokenRequest(config: ClientConfig, asked: AccessTokenOptions): TokenRequest {
  checkTokenOptions(asked);
  checkResponseMode(asked.authorizationParams);
  const { timeoutInSeconds, authorizationParams: { audience, scope, ...params } = {}, ...options } = asked;
  const late = () => new TimeoutError(`no access token within ${timeoutInSeconds}s`);
  return {
    // Auth0's spelling is read too: ignored, it would silently hand out the default API's token.
    options: {
      ...options,
      audience: options.audience ?? (audience as string | undefined),
      scope: options.scope ?? (scope as string | undefined),
      params: parametersOf(params),
    },
    within: (start) =>
      timeoutInSeconds === undefined
        ? start()
        : settleWithin(start(), timeoutInSeconds * 1000, config.environment.timers, late),
  };
}

/** The facade's `getAccessToken`: the token manager's, with a per-call timeout and the detailed answer. */
export function createGetAccessToken(tokens: TokenManager, cache: TokenCache, config: ClientConfig) {
  return (async ({
    detailedResponse,
    ...asked
  }: AccessTokenOptions & {
    detailedResponse?: boolean;
  } = {}) => {
    const { options, within } = tokenRequest(config, asked);
    const access_token = await within(() => tokens.getAccessToken(options));
    if (!detailedResponse) return access_token;
    const contents = await cache.read();
    // The cached entry of the token handed out (it may have been served for a narrower scope).
    const cached = Object.values(contents.tokens).find((token) => token.access_token === access_token);
    const expiresAt = cached?.expires_at;
    return {
      access_token,
      id_token: contents.id_token,
      expires_in:
        cached && expiresAt === undefined
          ? undefined
          : Math.max(0, Math.round(((expiresAt ?? config.now()) - config.now()) / 1000)),
      scope: cached?.scope,
      token_type: cached?.token_type ?? 'Bearer',
    };
  }) as GetAccessToken;
}
