import { describe, expect, it } from 'vitest';
import { IdTokenInvalidError } from '../src/errors.js';
import {
  decodeJwt,
  userFromClaims,
  validateIdTokenClaims,
  type IdTokenExpectations,
} from '../src/id-token.js';

const NOW = 1_700_000_000_000;
const seconds = NOW / 1000;
const claims = {
  iss: 'https://idp.example/',
  sub: 'user-1',
  aud: 'app',
  exp: seconds + 600,
  iat: seconds,
  nonce: 'n-1',
  auth_time: seconds - 100,
  name: 'Alice',
  email: 'alice@example.com',
};
const expected: IdTokenExpectations = {
  issuer: 'https://idp.example/',
  clientId: 'app',
  now: NOW,
  leeway: 60,
  nonce: 'n-1',
};

const jwt = (payload: unknown) =>
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

const rejects = (payload: Record<string, unknown>, expectations: Partial<IdTokenExpectations> = {}) =>
  expect(() => validateIdTokenClaims(payload, { ...expected, ...expectations })).toThrow(IdTokenInvalidError);

describe('decodeJwt', () => {
  it('decodes the payload of a compact JWS, UTF-8 included', () => {
    expect(decodeJwt(jwt({ ...claims, name: 'Zoë 山' }))).toMatchObject({ sub: 'user-1', name: 'Zoë 山' });
  });

  it.each([
    ['not-a-jwt'],
    ['a.b'],
    ['a.b.c.d'],
    ['a.!!!.c'],
    [`a.${Buffer.from('[1]').toString('base64url')}.c`],
    ['a.bm90IGpzb24.c'],
  ])('refuses %s with IdTokenInvalidError', (token) => {
    expect(() => decodeJwt(token)).toThrow(IdTokenInvalidError);
  });
});

describe('validateIdTokenClaims', () => {
  it('accepts claims that pass every check and returns them', () => {
    expect(validateIdTokenClaims(claims, expected)).toBe(claims);
  });

  it('checks iss, sub and aud', () => {
    rejects({ ...claims, iss: 'https://evil.example/' });
    rejects({ ...claims, sub: undefined });
    rejects({ ...claims, aud: 'other' });
    rejects({ ...claims, aud: ['other', 'another'] });
  });

  it('requires azp naming the client when there are several audiences', () => {
    rejects({ ...claims, aud: ['app', 'api'] });
    rejects({ ...claims, aud: ['app', 'api'], azp: 'api' });
    rejects({ ...claims, azp: 'other' });
    expect(() =>
      validateIdTokenClaims({ ...claims, aud: ['app', 'api'], azp: 'app' }, expected),
    ).not.toThrow();
    expect(() => validateIdTokenClaims({ ...claims, aud: ['app'] }, expected)).not.toThrow();
  });

  it('checks exp, iat and nbf with the leeway', () => {
    expect(() => validateIdTokenClaims({ ...claims, exp: seconds - 59 }, expected)).not.toThrow();
    rejects({ ...claims, exp: seconds - 61 });
    rejects({ ...claims, exp: undefined });
    rejects({ ...claims, exp: String(seconds + 600) });
    rejects({ ...claims, iat: undefined });
    expect(() => validateIdTokenClaims({ ...claims, nbf: seconds + 59 }, expected)).not.toThrow();
    rejects({ ...claims, nbf: seconds + 61 });
    rejects({ ...claims, exp: seconds - 1 }, { leeway: 0 });
  });

  it('checks the nonce when one was sent', () => {
    rejects({ ...claims, nonce: 'other' });
    rejects({ ...claims, nonce: undefined });
    expect(() =>
      validateIdTokenClaims({ ...claims, nonce: undefined }, { ...expected, nonce: undefined }),
    ).not.toThrow();
  });

  it('checks auth_time against max_age', () => {
    expect(() => validateIdTokenClaims(claims, { ...expected, maxAge: 100 })).not.toThrow();
    expect(() => validateIdTokenClaims(claims, { ...expected, maxAge: 41 })).not.toThrow(); // within leeway
    rejects(claims, { maxAge: 39 });
    rejects({ ...claims, auth_time: undefined }, { maxAge: 1000 });
  });

  it('checks the organization like Auth0: org_ ids against org_id, names against org_name case-insensitively', () => {
    const org = { ...claims, org_id: 'org_abc', org_name: 'acme' };
    expect(() => validateIdTokenClaims(org, { ...expected, organization: 'org_abc' })).not.toThrow();
    expect(() => validateIdTokenClaims(org, { ...expected, organization: 'ACME' })).not.toThrow();
    rejects(org, { organization: 'org_other' });
    rejects(org, { organization: 'globex' });
    rejects(claims, { organization: 'org_abc' });
    rejects(claims, { organization: 'acme' });
  });

  it('names the failed check without echoing claim values', () => {
    expect(() => validateIdTokenClaims({ ...claims, iss: 'https://secret.example/' }, expected)).toThrow(
      expect.objectContaining({ code: 'id_token_invalid', message: 'ID token: bad iss' }),
    );
  });
});

describe('userFromClaims', () => {
  it('keeps the profile and drops protocol claims', () => {
    expect(userFromClaims(validateIdTokenClaims(claims, expected))).toEqual({
      sub: 'user-1',
      name: 'Alice',
      email: 'alice@example.com',
    });
  });
});
