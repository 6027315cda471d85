import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateIdTokenClaims, type IdTokenExpectations } from '../src/id-token.js';

const NOW = Date.UTC(2025, 0, 2);
const seconds = NOW / 1000;
// Expired a day ago, signed in two days ago.
const expired = {
  iss: 'https://idp.example/',
  aud: 'app',
  sub: 'user-1',
  iat: seconds - 90_000,
  exp: seconds - 86_400,
  auth_time: seconds - 172_800,
};
const expected: IdTokenExpectations = {
  issuer: 'https://idp.example/',
  clientId: 'app',
  now: NOW,
  leeway: 60,
};

const validate = (expectations: Record<string, unknown>) => () =>
  validateIdTokenClaims(expired, { ...expected, ...expectations } as IdTokenExpectations);

describe('validateIdTokenClaims given a clock, leeway or max age that is not a number of seconds', () => {
  it.each([
    // `exp + '60'` is a string concatenation: the expired token passed.
    ['leeway', '60'],
    ['leeway', NaN],
    ['leeway', undefined],
    ['leeway', -Infinity],
    ['now', 'x'],
    ['now', NaN],
    ['now', undefined],
    ['maxAge', '60'],
    ['maxAge', NaN],
  ])('refuses %s: %o with a TypeError naming it', (name, value) => {
    expect(validate({ [name]: value })).toThrow(new TypeError(`${name} must be a finite number >= 0`));
  });

  it('never accepts the expired token, whatever leeway or max age is not a finite number of seconds', () => {
    const notSeconds = fc
      .oneof(fc.anything(), fc.double(), fc.integer({ max: 100_000 }).map(String))
      .filter((value) => !(typeof value === 'number' && Number.isFinite(value) && value >= 0));
    fc.assert(
      fc.property(fc.constantFrom('leeway', 'maxAge'), notSeconds, (name, value) => {
        fc.pre(!(name === 'maxAge' && value === undefined));
        expect(validate({ [name]: value })).toThrow(TypeError);
      }),
    );
  });
});
