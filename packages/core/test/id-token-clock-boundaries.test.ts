import { describe, expect, it } from 'vitest';
import { IdTokenInvalidError } from '../src/errors.js';
import { validateIdTokenClaims, type IdTokenExpectations } from '../src/id-token.js';

const NOW = 1_700_000_000_000;
const seconds = NOW / 1000;
const LEEWAY = 60;
const claims = { iss: 'https://idp.example/', sub: 'user-1', aud: 'app', exp: seconds + 600, iat: seconds };
const expected: IdTokenExpectations = {
  issuer: 'https://idp.example/',
  clientId: 'app',
  now: NOW,
  leeway: LEEWAY,
};

const check =
  (payload: Record<string, unknown>, expectations: Partial<IdTokenExpectations> = {}) =>
  () =>
    validateIdTokenClaims(payload, { ...expected, ...expectations });

// The leeway is inclusive: a claim exactly `leeway` seconds off is still accepted, one second more is not.
describe('ID token time claims at the edge of the leeway', () => {
  it('accepts exp exactly leeway seconds ago, refuses one second earlier', () => {
    expect(check({ ...claims, exp: seconds - LEEWAY })).not.toThrow();
    expect(check({ ...claims, exp: seconds - LEEWAY - 1 })).toThrow(IdTokenInvalidError);
  });

  it('accepts nbf exactly leeway seconds ahead, refuses one second later', () => {
    expect(check({ ...claims, nbf: seconds + LEEWAY })).not.toThrow();
    expect(check({ ...claims, nbf: seconds + LEEWAY + 1 })).toThrow(IdTokenInvalidError);
    expect(check({ ...claims, nbf: String(seconds) })).toThrow(IdTokenInvalidError);
  });

  it('accepts iat exactly leeway seconds ahead, refuses one second later', () => {
    expect(check({ ...claims, iat: seconds + LEEWAY })).not.toThrow();
    expect(check({ ...claims, iat: seconds + LEEWAY + 1 })).toThrow('ID token: bad iat');
    expect(check({ ...claims, iat: seconds + 3600 })).toThrow(IdTokenInvalidError);
  });

  it('accepts auth_time exactly max_age + leeway seconds ago, refuses one second earlier', () => {
    const maxAge = 300;
    expect(check({ ...claims, auth_time: seconds - maxAge - LEEWAY }, { maxAge })).not.toThrow();
    expect(check({ ...claims, auth_time: seconds - maxAge - LEEWAY - 1 }, { maxAge })).toThrow(
      IdTokenInvalidError,
    );
    expect(check({ ...claims, auth_time: String(seconds) }, { maxAge })).toThrow(IdTokenInvalidError);
  });

  it('needs no auth_time when no max_age was asked for', () => {
    expect(check({ ...claims, auth_time: undefined })).not.toThrow();
  });
});
