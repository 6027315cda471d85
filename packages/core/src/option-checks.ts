import { checkParamValues, checkResponseMode, isScope } from './authorize.js';
import { isObject } from './http.js';
import { isNumber } from './id-token.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads what it checks
type Test = (value: any) => boolean;
type Check = [test: Test, what: string];

const ofType = (type: string): Check => [(value) => typeof value === type, `a ${type}`];
/** An object whose `names` are all of `type`. */
export const has =
  (type: string, ...names: string[]): Test =>
  (value) =>
    isObject(value) && names.every((name) => typeof value[name] === type);
/** Milliseconds a timer can wait: setTimeout fires at once for NaN, Infinity and 2^31 or more. */
const isDelay: Test = (value) => isNumber(value) && value >= 0 && value < 2 ** 31;

/**
 * What each option must be when given. A wrong type is the caller's bug, refused at construction rather
 * than misbehaving later: `leeway: '60'` (read from an env file) would be concatenated to an ID token's
 * `exp` and pass one that expired long ago; `timeout: NaN` would time out every request at once.
 */
const CHECKS: [names: string, check: Check][] = [
  ['issuer domain redirectUri audience resource silentRedirectUri postLogoutRedirectUri', ofType('string')],
  // As `buildAuthorizeUrl` takes it: a list is joined.
  ['scope', [isScope, 'a string or a list of strings']],
  [
    'useRefreshTokens auth0Logout pushedAuthorizationRequests revokeRefreshTokenOnLogout idTokenHintOnLogout refreshWithScope',
    ofType('boolean'),
  ],
  ['fetch now navigate random silentAuthorization tabs popup renewal', ofType('function')],
  ['environment', [isObject, 'an object']],
  // Auth0's SDK takes the default API and scope here too.
  [
    'authorizationParams',
    [
      (value) => isObject(value) && isScope(value.scope ?? '') && typeof (value.audience ?? '') === 'string',
      'an object (its scope a string or a list of strings, its audience a string)',
    ],
  ],
  ['leeway', [(value) => isNumber(value) && value >= 0, 'a finite number >= 0']],
  ['timeout', [(value) => isDelay(value) && value > 0, 'a number of ms > 0 and < 2^31']],
  // Auth0's SDK's: 0 means its default.
  [
    'httpTimeoutInSeconds authorizeTimeoutInSeconds',
    [(value) => isDelay(value) && isDelay(value * 1000), 'a number of seconds >= 0 and < 2^31 ms'],
  ],
  ['endpoints', [has('string', 'authorization', 'token'), '{ authorization, token }']],
  [
    'storage transactionStorage',
    [
      (value) => typeof value === 'string' || has('function', 'get', 'set', 'remove')(value),
      "'memory', 'session', 'local' or { get, set, remove }",
    ],
  ],
  ['proof', [has('function', 'headers', 'retry'), 'a proof module']],
  [
    'cacheLocation',
    [(value) => value === 'memory' || value === 'localstorage', "'memory' or 'localstorage'; or use storage"],
  ],
];

/**
 * Options of Auth0's SPA SDK and oidc-client-ts without a counterpart of that name: ignoring them would
 * silently change what the app gets (no fallback, Bearer tokens, another cache, no renewal, no return
 * address), so they fail at construction, naming ours; `revokeTokensOnSignout` even when false, as
 * revocation is on here by default.
 */
const FOREIGN_OPTIONS: Record<string, string> = {
  useRefreshTokensFallback: 'silentAuthorization: hiddenIframe()',
  useDpop: "proof: dpop() from '@grantflow/core/dpop'",
  cache: 'storage (an adapter with get, set and remove)',
  userStore: 'storage',
  automaticSilentRenew: 'renewal: automaticRenewal()',
  post_logout_redirect_uri: 'postLogoutRedirectUri',
  silent_redirect_uri: 'silentRedirectUri with silentAuthorization: hiddenIframe()',
  extraQueryParams: 'authorizationParams',
  loadUserInfo: 'getUserInfo()',
  response_mode: 'nothing: answers come in the query',
  revokeTokensOnSignout: 'revokeRefreshTokenOnLogout',
};

/** Changes nothing: off, an empty plain object (a class instance is not), `response_mode: 'query'`. */
const harmless = (value: unknown) =>
  !value ||
  value === 'query' ||
  (Object.getPrototypeOf(value) === Object.prototype && Object.keys(value as object).length === 0);

function refuseForeignOptions(options: object): void {
  for (const [name, instead] of Object.entries(FOREIGN_OPTIONS)) {
    const value = (options as Record<string, unknown>)[name];
    if (name === 'revokeTokensOnSignout' ? value !== undefined : !harmless(value))
      throw new TypeError(`${name} is another library's option; here use ${instead}`);
  }
}

/** Refuses, with a `TypeError` naming it, an option of the wrong type or another library's. */
export function checkOptions(options: object): void {
  for (const [names, [test, what]] of CHECKS) {
    for (const name of names.split(' ')) {
      const value = (options as Record<string, unknown>)[name];
      if (value !== undefined && !test(value)) throw new TypeError(`${name} must be ${what}`);
    }
  }
  // Each member, not only the object: `{ organization: { id } }` would go out as `[object Object]`.
  const { authorizationParams = {} } = options as { authorizationParams?: object };
  checkParamValues(authorizationParams, 'authorizationParams.');
  checkResponseMode(authorizationParams, 'authorizationParams.');
  refuseForeignOptions(options);
}
