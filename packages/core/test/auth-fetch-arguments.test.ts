import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuthFetch } from '../src/auth-fetch.js';
import { fakeClient, ok, resourceServer } from './resource-server.js';

const create = (client: unknown, options?: unknown) =>
  createAuthFetch(client as Parameters<typeof createAuthFetch>[0], options as never);

// A bad argument is the caller's bug: refused when the fetch is made, naming what is wrong, not at every
// call after a token was fetched (or, worse, sent as `Bearer [object Object]`).
describe('createAuthFetch arguments', () => {
  it('passes on the token options it takes, and refuses the others (detailedResponse sent an object)', async () => {
    const api = resourceServer(ok(), ok(), ok());
    for (const name of ['detailedResponse', 'cachemode', 'timeout']) {
      expect(() => create(fakeClient(), { fetch: api.fetch, [name]: true })).toThrow(
        new TypeError(
          `createAuthFetch: unknown option ${name} (it takes fetch, audience, scope, cacheMode, timeoutInSeconds, authorizationParams)`,
        ),
      );
    }
    const client = fakeClient();
    await create(client, { fetch: api.fetch, audience: 'https://api.test', scope: 'read' })(
      'https://api.test/a',
    );
    await create(client, { fetch: api.fetch, audience: undefined, scope: undefined })('https://api.test/b');
    const auth0Spelling = { authorizationParams: { audience: 'https://api.test' }, timeoutInSeconds: 5 };
    await create(client, { fetch: api.fetch, cacheMode: 'cache-only', ...auth0Spelling })(
      'https://api.test/c',
    );
    expect(client.calls).toEqual([
      { audience: 'https://api.test', scope: 'read' },
      {},
      { cacheMode: 'cache-only', ...auth0Spelling },
    ]);
    expect(api.sent.map((sent) => sent.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
      'Bearer token-1',
    ]);
  });

  it.each([
    ['fetch', 42, 'a function'],
    ['fetch', 'x', 'a function'],
    ['fetch', {}, 'a function'],
    ['fetch', null, 'a function'],
    ['audience', 42, 'a string'],
    ['audience', null, 'a string'],
    ['scope', {}, 'a string'],
    // getAccessToken names a scope as a string (its refresh would drop a list's).
    ['scope', ['read'], 'a string'],
    [
      'authorizationParams',
      { scope: ['read'] },
      '{ audience?: string, scope?: string, [parameter]: string | number | boolean }',
    ],
    [
      'authorizationParams',
      { audience: 42 },
      '{ audience?: string, scope?: string, [parameter]: string | number | boolean }',
    ],
    ['timeoutInSeconds', 2 ** 31 / 1000, 'a number of seconds > 0 and < 2^31 ms'],
    ['cacheMode', 'bogus', "'on', 'off' or 'cache-only'"],
    ['timeoutInSeconds', 0, 'a number of seconds > 0 and < 2^31 ms'],
    ['timeoutInSeconds', '5', 'a number of seconds > 0 and < 2^31 ms'],
    ['timeoutInSeconds', Infinity, 'a number of seconds > 0 and < 2^31 ms'],
    [
      'authorizationParams',
      null,
      '{ audience?: string, scope?: string, [parameter]: string | number | boolean }',
    ],
  ])('refuses %s: %o, naming it', (name, value, kind) => {
    expect(() => create(fakeClient(), { [name]: value })).toThrow(
      new TypeError(`createAuthFetch: ${name} must be ${kind}`),
    );
  });

  it.each([null, 42, 'x'])('refuses options %o', (options) => {
    expect(() => create(fakeClient(), options)).toThrow(
      new TypeError('createAuthFetch: options must be an object'),
    );
  });

  it.each([null, undefined, 42, 'x', {}, { getAccessToken: 'token' }])('refuses the client %o', (client) => {
    expect(() => create(client)).toThrow(new TypeError('createAuthFetch: client must have getAccessToken()'));
  });

  it('any options object: made exactly when each key is a known one of its type, refused naming the key else', () => {
    const value = fc.oneof(fc.anything(), fc.func(fc.anything()));
    const key = fc.oneof(
      fc.constantFrom(
        'fetch',
        'audience',
        'scope',
        'cacheMode',
        'timeoutInSeconds',
        'authorizationParams',
        '__proto__',
      ),
      fc.string(),
    );
    const kinds: Record<string, [string, (given: unknown) => boolean]> = {
      fetch: ['a function', (given) => typeof given === 'function'],
      audience: ['a string', (given) => typeof given === 'string'],
      scope: ['a string', (given) => typeof given === 'string'],
      cacheMode: [
        "'on', 'off' or 'cache-only'",
        (given) => given === 'on' || given === 'off' || given === 'cache-only',
      ],
      timeoutInSeconds: [
        'a number of seconds > 0 and < 2^31 ms',
        (given) => typeof given === 'number' && given > 0 && given < 2 ** 31 / 1000,
      ],
      authorizationParams: [
        '{ audience?: string, scope?: string, [parameter]: string | number | boolean }',
        (given) =>
          typeof given === 'object' &&
          given !== null &&
          !Array.isArray(given) &&
          Object.entries(given).every(([name, item]) =>
            ['audience', 'scope'].includes(name)
              ? ['undefined', 'string'].includes(typeof item)
              : ['undefined', 'string', 'boolean'].includes(typeof item) || Number.isFinite(item),
          ),
      ],
    };
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.oneof(value, fc.constantFrom('on', 'off', 'cache-only', 5, -1))),
        (options) => {
          const bad = Object.entries(options).find(
            ([name, given]) =>
              !Object.hasOwn(kinds, name) || (given !== undefined && !kinds[name]![1](given)),
          );
          if (!bad) return void expect(create(fakeClient(), options)).toBeTypeOf('function');
          const [name] = bad;
          const message = Object.hasOwn(kinds, name)
            ? `${name} must be ${kinds[name]![0]}`
            : `unknown option ${name} (it takes fetch, audience, scope, cacheMode, timeoutInSeconds, authorizationParams)`;
          expect(() => create(fakeClient(), options)).toThrow(new TypeError(`createAuthFetch: ${message}`));
        },
      ),
      { numRuns: 300 },
    );
  });
});
