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

const segment = (json: string) => Buffer.from(json).toString('base64url');
const HEADER = segment('{"alg":"RS256"}');
const jwt = (payload: unknown) => `${HEADER}.${segment(JSON.stringify(payload))}.sig`;
const PAYLOAD = segment(JSON.stringify(claims));

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
    expect(decodeJwt(`${HEADER}.${encoded}.sig`)).toEqual(payload);
  });

  it.each([
    ['not-a-jwt', 'format'],
    ['a.b', 'format'],
    ['a.b.c.d', 'format'],
    [`${HEADER}.!!!.c`, 'payload'],
    [`${HEADER}.${Buffer.from('[1]').toString('base64url')}.c`, 'payload'],
    [`${HEADER}.bm90IGpzb24.c`, 'payload'],
  ])('refuses %s with IdTokenInvalidError (bad %s)', (token, check) => {
    expect(() => decodeJwt(token)).toThrow(IdTokenInvalidError);
    expect(() => decodeJwt(token)).toThrow(`ID token: bad ${check}`);
  });

  // An ID token must be signed (OIDC Core §2): its header names an `alg`, and not `none` (nor nothing).
  it.each([
    ['a header that is no base64url JSON', 'a', 'header'],
    ['a header that is no object', segment('[1]'), 'header'],
    ['a header without alg', segment('{}'), 'header'],
    ['a header whose alg is no string', segment('{"alg":1}'), 'header'],
    ['alg none', segment('{"alg":"none"}'), 'alg'],
    ['alg None beside typ JWT', segment('{"alg":"None","typ":"JWT"}'), 'alg'],
    ['alg NONE', segment('{"alg":"NONE"}'), 'alg'],
    ['an empty alg', segment('{"alg":""}'), 'alg'],
  ])('refuses a token with %s with IdTokenInvalidError', (_name, header, check) => {
    // Unsecured JWSs have an empty signature; one with a signature is no better.
    for (const token of [`${header}.${PAYLOAD}.`, `${header}.${PAYLOAD}.c2ln`]) {
      expect(() => decodeJwt(token)).toThrow(IdTokenInvalidError);
      expect(() => decodeJwt(token)).toThrow(`ID token: bad ${check}`);
    }
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
    const token = `${HEADER}.${Buffer.from(JSON.stringify(claims).replace(/"exp":\d+/, '"exp":1e999')).toString('base64url')}.s`;
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
    expect(() => validateIdTokenClaims(org, { ...expected, organization: '  acme ' })).not.toThrow();
    expect(() => validateIdTokenClaims(org, { ...expected, organization: ' org_abc ' })).not.toThrow();
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
