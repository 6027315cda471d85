import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuthGuard, type AuthGuardOptions } from '../src/index.js';
import { signedOutVisit } from './signed-out-visit.js';

/** `options` as untyped config hands them over. */
const guardWith = (options: unknown) => createAuthGuard(options as AuthGuardOptions);

const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Login options the guard takes: undefined, a function, or an object whose `appState` is one if any. */
function takes(value: unknown): boolean {
  if (value === undefined || typeof value === 'function') return true;
  const { appState } = (isObject(value) ? value : {}) as { appState?: unknown };
  return isObject(value) && (appState === undefined || isObject(appState));
}

describe('createAuthGuard refuses options of the wrong type with a TypeError naming them', () => {
  it.each([
    [null, "createAuthGuard's options must be an object, not null"],
    [{ loginOptions: 'x' }, 'loginOptions must be an object or a function, not string'],
    [{ loginOptions: 42 }, 'loginOptions must be an object or a function, not number'],
    [{ redirectLoginOptions: [] }, 'redirectLoginOptions must be an object or a function, not array'],
    [{ loginOptions: { appState: 's' } }, 'loginOptions.appState must be an object, not string'],
    [{ loginOptions: { appState: null } }, 'loginOptions.appState must be an object, not null'],
  ])('%o, when it is created', (options, message) => {
    expect(() => guardWith(options)).toThrow(new TypeError(message));
  });

  it.each([
    [42, 'loginOptions(to) must be an object, not number'],
    [null, 'loginOptions(to) must be an object, not null'],
    [{ appState: 's' }, 'loginOptions(to).appState must be an object, not string'],
  ])(
    'what a loginOptions function gives (%o), at the navigation, starting no login',
    async (given, message) => {
      const seen = await signedOutVisit({ loginOptions: () => given });
      expect(seen.failures).toEqual([new TypeError(message)]);
      expect(seen.logins).toEqual([]);
      expect(seen.route).toBe('/');
    },
  );

  it('takes a loginOptions function that gives nothing for a route: a login with the route to come back to', async () => {
    const options: AuthGuardOptions = { loginOptions: (to) => (to.fullPath === '/signup' ? {} : undefined) };
    const seen = await signedOutVisit(options);
    expect(seen.failures).toEqual([]);
    expect(seen.logins).toHaveLength(1);
    expect(seen.logins[0]).toMatchObject({ appState: { returnTo: '/private/7?tab=notes' } });
  });

  it('throws for any loginOptions of another type than it takes, and only then', () => {
    const value = fc.oneof(fc.anything(), fc.func(fc.anything()), fc.record({ appState: fc.anything() }));
    fc.assert(
      fc.property(fc.constantFrom('loginOptions', 'redirectLoginOptions'), value, (name, given) => {
        if (takes(given)) expect(() => guardWith({ [name]: given })).not.toThrow();
        else
          expect(() => guardWith({ [name]: given })).toThrow(new RegExp(`^${name}(\\.appState)? must be `));
      }),
    );
  });
});
