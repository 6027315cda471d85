import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCallback } from '../src/callback.js';
import { GrantflowError, InvalidResponseError } from '../src/errors.js';

describe('parseCallback', () => {
  it('reads code, state and iss', () => {
    expect(parseCallback('https://app.example/cb?code=c%20d&state=s&iss=https%3A%2F%2Fidp.example')).toEqual({
      type: 'code',
      code: 'c d',
      state: 's',
      iss: 'https://idp.example',
    });
    expect(parseCallback(new URL('https://app.example/cb?state=s&code=c'))).toEqual({
      type: 'code',
      code: 'c',
      state: 's',
      iss: undefined,
    });
  });

  it('reads an authorization error', () => {
    expect(
      parseCallback(
        'https://app.example/cb?error=access_denied&error_description=No+way&error_uri=https%3A%2F%2Fx&state=s',
      ),
    ).toEqual({
      type: 'error',
      error: 'access_denied',
      error_description: 'No way',
      error_uri: 'https://x',
      state: 's',
      iss: undefined,
    });
  });

  it('returns undefined for a URL that is not a callback', () => {
    expect(parseCallback('https://app.example/cb')).toBeUndefined();
    expect(parseCallback('https://app.example/cb?code=c')).toBeUndefined();
    expect(parseCallback('https://app.example/cb?state=s')).toBeUndefined();
    expect(parseCallback('https://app.example/cb?state=&code=c')).toBeUndefined();
    // Fragments are not read: this client uses the query response mode.
    expect(parseCallback('https://app.example/cb#code=c&state=s')).toBeUndefined();
  });

  it('refuses repeated parameters and unparsable URLs with InvalidResponseError', () => {
    expect(() => parseCallback('https://app.example/cb?code=a&code=b&state=s')).toThrow(InvalidResponseError);
    expect(() => parseCallback('https://app.example/cb?code=a&state=s&state=t')).toThrow(
      InvalidResponseError,
    );
    expect(() => parseCallback('/cb?code=a&state=s')).toThrow(InvalidResponseError);
  });

  const onlyTypedErrors = (input: string) => {
    try {
      const result = parseCallback(input);
      if (result) {
        expect(typeof result.state).toBe('string');
        expect(result.state.length).toBeGreaterThan(0);
      }
    } catch (error) {
      expect(error).toBeInstanceOf(GrantflowError);
    }
  };

  it('throws only typed errors for arbitrary strings', () => {
    fc.assert(fc.property(fc.string(), onlyTypedErrors), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: 'binary' }), onlyTypedErrors), { numRuns: 500 });
  });

  it('throws only typed errors for arbitrary URLs and query strings', () => {
    const query = fc
      .array(
        fc.tuple(
          fc.constantFrom('code', 'state', 'iss', 'error', 'error_description', 'error_uri', 'x'),
          fc.string({ unit: 'binary' }),
        ),
        { maxLength: 8 },
      )
      .map((pairs) => pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&'));
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), query, (url, extra) => {
        onlyTypedErrors(url);
        onlyTypedErrors(`${url.split('?')[0]}?${extra}`);
      }),
      { numRuns: 2000 },
    );
  });
});
