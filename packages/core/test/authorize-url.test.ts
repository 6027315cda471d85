import { describe, expect, it } from 'vitest';
import { buildAuthorizeUrl } from '../src/authorize.js';

const base = {
  client_id: 'app',
  redirect_uri: 'https://app.example/callback',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  state: 'st',
};

describe('buildAuthorizeUrl', () => {
  it('requests a code with an S256 challenge and the given parameters, encoded', () => {
    const url = buildAuthorizeUrl('https://idp.example/authorize', {
      ...base,
      nonce: 'n',
      scope: ['openid', 'profile', 'read:appointments'],
      audience: 'https://api.example/a b',
      organization: 'org_123',
      invitation: 'inv',
      prompt: 'login',
      login_hint: 'alice+1@example.com',
      max_age: 300,
      acr_values: 'urn:mfa',
      ui_locales: 'fr en',
      screen_hint: 'signup',
      custom_param: 'x&y=z',
    });
    expect(url.origin + url.pathname).toBe('https://idp.example/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      ...base,
      response_type: 'code',
      code_challenge_method: 'S256',
      nonce: 'n',
      scope: 'openid profile read:appointments',
      audience: 'https://api.example/a b',
      organization: 'org_123',
      invitation: 'inv',
      prompt: 'login',
      login_hint: 'alice+1@example.com',
      max_age: '300',
      acr_values: 'urn:mfa',
      ui_locales: 'fr en',
      screen_hint: 'signup',
      custom_param: 'x&y=z',
    });
    expect(url.search).toContain('login_hint=alice%2B1%40example.com');
    expect(url.search).toContain('custom_param=x%26y%3Dz');
  });

  it('takes max_age only as whole seconds (a number or digits), before the page is left', () => {
    for (const max_age of [0, 300, '300']) {
      expect(
        buildAuthorizeUrl('https://idp.example/authorize', { ...base, max_age }).searchParams.get('max_age'),
      ).toBe(String(max_age));
    }
    for (const max_age of [
      -1,
      1.5,
      Number.NaN,
      Infinity,
      'abc',
      '',
      ' 60',
      '1e3',
      '9'.repeat(400),
      2 ** 53,
      null,
      {},
    ]) {
      expect(() => buildAuthorizeUrl('https://idp.example/authorize', { ...base, max_age } as never)).toThrow(
        new TypeError('max_age must be a whole number of seconds >= 0'),
      );
    }
  });

  it('refuses, naming it, a parameter no URL can carry rather than send [object Object], null or NaN', () => {
    const endpoint = 'https://idp.example/authorize';
    for (const value of [{ id: 'org_1' }, null, Number.NaN, Infinity, () => 'x', ['a', 1], [{}]]) {
      expect(() => buildAuthorizeUrl(endpoint, { ...base, organization: value } as never)).toThrow(
        new TypeError('organization must be a string, a finite number, a boolean or a list of strings'),
      );
    }
    const url = buildAuthorizeUrl(endpoint, { ...base, ext: 7, flag: false, list: ['a', 'b'] });
    expect([url.searchParams.get('ext'), url.searchParams.get('flag'), url.searchParams.get('list')]).toEqual(
      ['7', 'false', 'a b'],
    );
  });

  it('cannot be talked out of response_type=code and S256', () => {
    const url = buildAuthorizeUrl('https://idp.example/authorize', {
      ...base,
      response_type: 'token',
      code_challenge_method: 'plain',
    });
    expect(url.searchParams.getAll('response_type')).toEqual(['code']);
    expect(url.searchParams.getAll('code_challenge_method')).toEqual(['S256']);
  });

  it('leaves out undefined parameters and keeps the endpoint query', () => {
    const url = buildAuthorizeUrl('https://idp.example/authorize?tenant=t', { ...base, audience: undefined });
    expect(url.searchParams.has('audience')).toBe(false);
    expect(url.searchParams.get('tenant')).toBe('t');
  });

  it("replaces the endpoint query's own values of parameters it sets, and repeats several resources", () => {
    const url = buildAuthorizeUrl(
      'https://idp.example/authorize?tenant=t&client_id=old&response_type=token',
      {
        ...base,
        resource: ['https://a.example/', 'https://b.example/'],
      },
    );
    expect(url.searchParams.getAll('client_id')).toEqual(['app']);
    expect(url.searchParams.getAll('response_type')).toEqual(['code']);
    expect(url.searchParams.getAll('resource')).toEqual(['https://a.example/', 'https://b.example/']);
    expect(url.searchParams.get('tenant')).toBe('t');
  });

  it('refuses a redirect_uri with a fragment', () => {
    expect(() =>
      buildAuthorizeUrl('https://idp.example/authorize', {
        ...base,
        redirect_uri: 'https://app.example/cb#x',
      }),
    ).toThrow(TypeError);
    expect(() =>
      buildAuthorizeUrl('https://idp.example/authorize', {
        ...base,
        redirect_uri: 'https://app.example/cb#',
      }),
    ).toThrow(TypeError);
  });

  it('refuses missing required parameters and relative URLs with a TypeError', () => {
    for (const name of ['client_id', 'redirect_uri', 'code_challenge', 'state'] as const) {
      expect(() => buildAuthorizeUrl('https://idp.example/authorize', { ...base, [name]: '' })).toThrow(
        TypeError,
      );
    }
    expect(() => buildAuthorizeUrl('/authorize', base)).toThrow(TypeError);
    expect(() =>
      buildAuthorizeUrl('https://idp.example/authorize', { ...base, redirect_uri: '/cb' }),
    ).toThrow(TypeError);
  });

  it('says which parameter is missing or wrong, and refuses non-string required parameters', () => {
    const endpoint = 'https://idp.example/authorize';
    for (const name of ['client_id', 'redirect_uri', 'code_challenge', 'state'] as const) {
      for (const value of ['', undefined, 42, ['x']]) {
        expect(() => buildAuthorizeUrl(endpoint, { ...base, [name]: value as never })).toThrow(
          new TypeError(`${name} is required`),
        );
      }
    }
    expect(() => buildAuthorizeUrl('/authorize', base)).toThrow(
      new TypeError('authorization endpoint must be an absolute URL'),
    );
    expect(() => buildAuthorizeUrl(endpoint, { ...base, redirect_uri: '/cb' })).toThrow(
      new TypeError('redirect_uri must be an absolute URL'),
    );
    expect(() => buildAuthorizeUrl(endpoint, { ...base, redirect_uri: 'https://app.example/cb#x' })).toThrow(
      new TypeError('redirect_uri must not contain a fragment'),
    );
  });
});
