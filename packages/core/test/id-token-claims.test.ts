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

/** Refused, with the failed check named: `ID token: bad <check>`. */
const rejects = (
  check: string,
  payload: Record<string, unknown>,
  expectations: Partial<IdTokenExpectations> = {},
) => {
  const attempt = () => validateIdTokenClaims(payload, { ...expected, ...expectations });
  expect(attempt).toThrow(IdTokenInvalidError);
  expect(attempt).toThrow(`ID token: bad ${check}`);
};

describe('decodeJwt', () => {
  it('decodes the payload of a compact JWS, UTF-8 included', () => {
    expect(decodeJwt(jwt({ ...claims, name: 'Zoë 山' }))).toMatchObject({ sub: 'user-1', name: 'Zoë 山' });
  });

  it('decodes base64url payloads whose encoding has - and _', () => {
    // '>>>' and '???' encode to characters 62 and 63: '-' and '_' in base64url, '+' and '/' in base64.
    const payload = { ...claims, name: '>>>???~~~' };
    const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
    expect(encoded).toMatch(/-/);
    expect(encoded).toMatch(/_/);
    expect(decodeJwt(`e30.${encoded}.sig`)).toEqual(payload);
  });

  it.each([
    ['not-a-jwt', 'format'],
    ['a.b', 'format'],
    ['a.b.c.d', 'format'],
    ['a.!!!.c', 'payload'],
    [`a.${Buffer.from('[1]').toString('base64url')}.c`, 'payload'],
    ['a.bm90IGpzb24.c', 'payload'],
  ])('refuses %s with IdTokenInvalidError (bad %s)', (token, check) => {
    expect(() => decodeJwt(token)).toThrow(IdTokenInvalidError);
    expect(() => decodeJwt(token)).toThrow(`ID token: bad ${check}`);
  });

  it.each([undefined, null, 42, ['a', 'b', 'c'], { split: () => ['a', 'e30', 'c'] }])(
    'refuses %o, which is not a string, with IdTokenInvalidError (bad format)',
    (token) => {
      expect(() => decodeJwt(token as never)).toThrow(IdTokenInvalidError);
      expect(() => decodeJwt(token as never)).toThrow('ID token: bad format');
    },
  );
});

describe('validateIdTokenClaims', () => {
  it('accepts claims that pass every check and returns them', () => {
    expect(validateIdTokenClaims(claims, expected)).toBe(claims);
  });

  it('checks iss, sub and aud', () => {
    rejects('iss', { ...claims, iss: 'https://evil.example/' });
    rejects('sub', { ...claims, sub: undefined });
    rejects('sub', { ...claims, sub: '' });
    rejects('sub', { ...claims, sub: 12345 });
    rejects('aud', { ...claims, aud: 'other' });
    rejects('aud', { ...claims, aud: ['other', 'another'] });
  });

  it('requires azp naming the client when there are several audiences', () => {
    rejects('azp', { ...claims, aud: ['app', 'api'] });
    rejects('azp', { ...claims, aud: ['app', 'api'], azp: 'api' });
    rejects('azp', { ...claims, azp: 'other' });
    expect(() =>
      validateIdTokenClaims({ ...claims, aud: ['app', 'api'], azp: 'app' }, expected),
    ).not.toThrow();
    expect(() => validateIdTokenClaims({ ...claims, aud: ['app'] }, expected)).not.toThrow();
  });

  it('checks exp, iat and nbf with the leeway', () => {
    expect(() => validateIdTokenClaims({ ...claims, exp: seconds - 59 }, expected)).not.toThrow();
    rejects('exp', { ...claims, exp: seconds - 61 });
    rejects('exp', { ...claims, exp: undefined });
    rejects('exp', { ...claims, exp: String(seconds + 600) });
    rejects('iat', { ...claims, iat: undefined });
    expect(() => validateIdTokenClaims({ ...claims, nbf: seconds + 59 }, expected)).not.toThrow();
    rejects('nbf', { ...claims, nbf: seconds + 61 });
    rejects('exp', { ...claims, exp: seconds - 1 }, { leeway: 0 });
  });

  it('refuses an exp that is no finite number, such as 1e999 (Infinity once parsed)', () => {
    const token = `e30.${Buffer.from(JSON.stringify(claims).replace(/"exp":\d+/, '"exp":1e999')).toString('base64url')}.s`;
    const decoded = decodeJwt(token);
    expect(decoded.exp).toBe(Infinity);
    rejects('exp', decoded);
  });

  it('checks the nonce when one was sent', () => {
    rejects('nonce', { ...claims, nonce: 'other' });
    rejects('nonce', { ...claims, nonce: undefined });
    expect(() =>
      validateIdTokenClaims({ ...claims, nonce: undefined }, { ...expected, nonce: undefined }),
    ).not.toThrow();
  });

  it('checks auth_time against max_age', () => {
    expect(() => validateIdTokenClaims(claims, { ...expected, maxAge: 100 })).not.toThrow();
    expect(() => validateIdTokenClaims(claims, { ...expected, maxAge: 41 })).not.toThrow(); // within leeway
    rejects('auth_time', claims, { maxAge: 39 });
    rejects('auth_time', { ...claims, auth_time: undefined }, { maxAge: 1000 });
  });

  it('checks the organization like Auth0: org_ ids against org_id, names against org_name case-insensitively', () => {
    const org = { ...claims, org_id: 'org_abc', org_name: 'acme' };
    expect(() => validateIdTokenClaims(org, { ...expected, organization: 'org_abc' })).not.toThrow();
    expect(() => validateIdTokenClaims(org, { ...expected, organization: 'ACME' })).not.toThrow();
    rejects('org_id', org, { organization: 'org_other' });
    rejects('org_name', org, { organization: 'globex' });
    rejects('org_id', claims, { organization: 'org_abc' });
    rejects('org_name', claims, { organization: 'acme' });
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
