import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuthClient } from '../src/client.js';
import { memoryStorage } from '../src/storage.js';

const base = {
  issuer: 'https://idp.example/',
  clientId: 'app',
  redirectUri: 'https://app.example/callback',
  environment: { location: undefined, history: undefined },
};

/** Constructs a client with `name: value` (then destroys it), or throws what construction threw. */
const construct = (name: string, value: unknown) => createAuthClient({ ...base, [name]: value }).destroy();

/** The option's `TypeError`, its message starting with the option's name. */
const refusal = (name: string, value: unknown) => {
  try {
    construct(name, value);
  } catch (error) {
    return error;
  }
  return undefined;
};

const isRefused = (name: string, value: unknown) => {
  const error = refusal(name, value);
  return error instanceof TypeError && error.message.startsWith(`${name} must be `);
};

/** What each option is, as the README's option table and the types say. */
const KINDS = {
  string: 'issuer domain redirectUri audience resource silentRedirectUri postLogoutRedirectUri',
  // A string, or a list of them (joined, as buildAuthorizeUrl does).
  scope: 'scope',
  boolean:
    'useRefreshTokens auth0Logout pushedAuthorizationRequests revokeRefreshTokenOnLogout idTokenHintOnLogout refreshWithScope',
  function: 'fetch now navigate random silentAuthorization tabs popup renewal',
  object: 'environment',
  // A name of a built-in storage (refused as unknown where it is not one), else an adapter.
  storage: 'storage transactionStorage',
  // Objects with particular members, which no generated value has.
  module: 'endpoints proof',
};
const OF_KIND = {
  string: (value: unknown) => typeof value === 'string',
  scope: (value: unknown) =>
    typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string')),
  boolean: (value: unknown) => typeof value === 'boolean',
  function: (value: unknown) => typeof value === 'function',
  object: (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value),
  storage: (value: unknown) => typeof value === 'string',
  module: () => false,
};
const options = Object.entries(KINDS).flatMap(([kind, names]) =>
  names.split(' ').map((name) => [name, kind as keyof typeof KINDS] as const),
);

describe('createAuthClient options of the wrong type (bad arguments are TypeErrors naming the option)', () => {
  it.each([
    // From an env file: concatenated to an ID token's `exp`, it let one that expired a day ago sign in.
    ['leeway', '60'],
    ['leeway', NaN],
    ['leeway', -1],
    ['leeway', Infinity],
    ['timeout', -1],
    ['timeout', NaN],
    ['timeout', 0],
    ['timeout', Infinity],
    // setTimeout fires at once for a delay of 2^31 ms or more.
    ['timeout', 2 ** 31],
    ['timeout', '10000'],
    ['httpTimeoutInSeconds', '10'],
    ['authorizeTimeoutInSeconds', 2 ** 31 / 1000],
    ['fetch', 42],
    ['now', 'x'],
    ['navigate', 42],
    ['random', 42],
    ['storage', {}],
    ['storage', { get() {}, set() {} }],
    ['transactionStorage', { get: 1, set: 2, remove: 3 }],
    ['scope', 42],
    ['scope', ['openid', 42]],
    ['authorizationParams', { scope: 42 }],
    ['authorizationParams', { scope: {} }],
    ['authorizationParams', { audience: ['https://api'] }],
    ['audience', 42],
    ['useRefreshTokens', 'false'],
    ['tabs', null],
    ['endpoints', { authorization: 'https://idp.example/a' }],
    ['proof', {}],
    ['cacheLocation', 'session'],
  ])('refuses %s: %o', (name, value) => {
    expect(() => construct(name, value)).toThrow(TypeError);
    expect(() => construct(name, value)).toThrow(new RegExp(`^${name} must be `));
  });

  it('says what leeway must be', () => {
    expect(() => construct('leeway', '60')).toThrow(new TypeError('leeway must be a finite number >= 0'));
  });

  it.each([
    ['issuer', 42, 'a string'],
    ['useRefreshTokens', 'yes', 'a boolean'],
    ['fetch', 'x', 'a function'],
    ['scope', 42, 'a string or a list of strings'],
    ['environment', 42, 'an object'],
    [
      'authorizationParams',
      { scope: 1 },
      'an object (its scope a string or a list of strings, its audience a string)',
    ],
    ['timeout', 0, 'a number of ms > 0 and < 2^31'],
    ['httpTimeoutInSeconds', -1, 'a number of seconds >= 0 and < 2^31 ms'],
    ['endpoints', {}, '{ authorization, token }'],
    ['storage', 42, "'memory', 'session', 'local' or { get, set, remove }"],
    ['proof', {}, 'a proof module'],
    ['cacheLocation', 'x', "'memory' or 'localstorage'; or use storage"],
  ])('says what %s must be', (name, value, what) => {
    expect(() => construct(name, value)).toThrow(new TypeError(`${name} must be ${what}`));
  });

  it('takes each of the right type', () => {
    const noop = () => undefined;
    for (const [name, value] of Object.entries({
      leeway: 0,
      timeout: 2 ** 31 - 1,
      httpTimeoutInSeconds: 0,
      authorizeTimeoutInSeconds: 120,
      storage: memoryStorage(),
      transactionStorage: 'memory',
      endpoints: { authorization: 'https://idp.example/a', token: 'https://idp.example/t' },
      proof: { tokenType: 'DPoP', headers: async () => ({}), retry: () => false },
      tabs: () => ({ post: noop, withLock: (task: () => unknown) => task(), close: noop }),
      fetch: noop,
      scope: 'openid',
      useRefreshTokens: false,
      resource: 'https://api.example',
      authorizationParams: { scope: ['openid', 'read'], audience: 'https://api', prompt: 'login' },
    })) {
      expect(() => construct(name, value), name).not.toThrow();
    }
  });

  it('refuses a value of any other type for every option, naming it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...options), fc.anything(), ([name, kind], value) => {
        fc.pre(value !== undefined && !OF_KIND[kind](value));
        expect(isRefused(name, value)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('takes a number option exactly when it is a delay a timer can wait, or a leeway', () => {
    const ms = (value: number) => Number.isFinite(value) && value >= 0 && value < 2 ** 31;
    const accepts = {
      leeway: (value: number) => Number.isFinite(value) && value >= 0,
      timeout: (value: number) => value > 0 && ms(value),
      httpTimeoutInSeconds: (value: number) => ms(value * 1000),
      authorizeTimeoutInSeconds: (value: number) => ms(value * 1000),
    };
    const values = fc.oneof(fc.double(), fc.integer({ min: -1, max: 2 ** 32 }), fc.anything());
    fc.assert(
      fc.property(fc.constantFrom(...Object.entries(accepts)), values, ([name, accept], value) => {
        fc.pre(value !== undefined);
        const taken = typeof value === 'number' && accept(value);
        expect(taken ? refusal(name, value) === undefined : isRefused(name, value)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  // Found by the property above once in 160,000 runs: `value > 0` on such an object throws its own TypeError.
  it('refuses, naming the option, a value that cannot become a number at all', () => {
    for (const name of ['leeway', 'timeout', 'httpTimeoutInSeconds', 'authorizeTimeoutInSeconds']) {
      for (const value of [{ toString: 0 }, Object.create(null) as object]) {
        expect(isRefused(name, value), name).toBe(true);
      }
    }
  });
});
