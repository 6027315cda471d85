import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuth, type AuthPluginOptions } from '../src/index.js';
import { TestingAuthClient } from '../src/testing.js';

/** `options` as an env file or untyped config hands them over. */
const create = (options: unknown) => createAuth(new TestingAuthClient(), options as AuthPluginOptions);

const kindOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
const isObject = (value: unknown) => kindOf(value) === 'object';

/** What each documented option takes besides undefined. */
const TAKES: Record<string, (value: unknown) => boolean> = {
  skipRedirectCallback: (value) => typeof value === 'boolean',
  checkSession: (value) => typeof value === 'boolean' || isObject(value),
  onRedirectCallback: (value) => typeof value === 'function',
};

describe('createAuth refuses an option of the wrong type with a TypeError naming it', () => {
  it.each([
    [{ skipRedirectCallback: 'false' }, 'skipRedirectCallback must be a boolean, not string'],
    [{ skipRedirectCallback: 1 }, 'skipRedirectCallback must be a boolean, not number'],
    [{ checkSession: 'false' }, 'checkSession must be a boolean or an object, not string'],
    [{ checkSession: 0 }, 'checkSession must be a boolean or an object, not number'],
    [{ checkSession: null }, 'checkSession must be a boolean or an object, not null'],
    [{ onRedirectCallback: 42 }, 'onRedirectCallback must be a function, not number'],
    // The core's check would reject the start-up's restore, and no session would be restored at all.
    [{ checkSession: { audience: {} } }, 'checkSession.audience must be a string'],
    [{ checkSession: { cacheMode: 'nope' } }, "checkSession.cacheMode must be 'on', 'off' or 'cache-only'"],
  ])('%o', (options, message) => {
    expect(() => create(options)).toThrow(new TypeError(message));
  });

  it('refuses plugin options that are not an object', () => {
    expect(() => create(null)).toThrow(
      new TypeError("createAuth's pluginOptions must be an object, not null"),
    );
    expect(() => create(42)).toThrow(
      new TypeError("createAuth's pluginOptions must be an object, not number"),
    );
  });

  it.each([
    [null, 'null'],
    [undefined, 'undefined'],
    [42, 'number'],
    ['https://idp.example', 'string'],
  ])('refuses %o for the client or its options', (given, kind) => {
    expect(() => createAuth(given as never)).toThrow(
      new TypeError(`createAuth's optionsOrClient must be an object, not ${kind}`),
    );
  });

  it('throws for any value of another type than the option takes, and only then', () => {
    const documented = { checkSession: { authorizationParams: { audience: 'https://api.example' } } };
    expect(create(documented).client).toBeInstanceOf(TestingAuthClient);
    const value = fc.oneof(fc.anything(), fc.func(fc.anything()));
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(TAKES)), value, (name, given) => {
        const takes = given === undefined || TAKES[name]!(given);
        if (takes) expect(() => create({ [name]: given })).not.toThrow();
        else expect(() => create({ [name]: given })).toThrow(new RegExp(`^${name} must be `));
      }),
    );
  });
});
