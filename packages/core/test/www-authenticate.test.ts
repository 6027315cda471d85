import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from '../src/www-authenticate.js';

describe('parseWwwAuthenticate (RFC 9110 §11.6.1)', () => {
  it('reads one Bearer challenge with quoted and token parameters', () => {
    expect(
      parseWwwAuthenticate(
        'Bearer realm="api", error="invalid_token", error_description="The token expired"',
      ),
    ).toEqual([
      {
        scheme: 'Bearer',
        params: { realm: 'api', error: 'invalid_token', error_description: 'The token expired' },
        token68: undefined,
      },
    ]);
    expect(parseWwwAuthenticate('Bearer error=invalid_token')[0]!.params).toEqual({ error: 'invalid_token' });
  });

  it('reads several challenges in one header, the second one a Bearer', () => {
    const challenges = parseWwwAuthenticate(
      'DPoP algs="ES256 PS256", Bearer realm="api", error="invalid_token", Basic realm="x"',
    );
    expect(challenges.map((challenge) => challenge.scheme)).toEqual(['DPoP', 'Bearer', 'Basic']);
    expect(challenges[0]!.params).toEqual({ algs: 'ES256 PS256' });
    expect(challenges[1]!.params).toEqual({ realm: 'api', error: 'invalid_token' });
    expect(challenges[2]!.params).toEqual({ realm: 'x' });
  });

  it('does not take a parameter named inside a quoted description for the real one', () => {
    const [challenge] = parseWwwAuthenticate(
      'Bearer error="insufficient_scope", error_description="not error=invalid_token"',
    );
    expect(challenge!.params.error).toBe('insufficient_scope');
    expect(challenge!.params.error_description).toBe('not error=invalid_token');
  });

  it('unescapes quoted-pairs, keeps commas inside quotes, and lower-cases parameter names', () => {
    const [challenge] = parseWwwAuthenticate('Bearer Realm="a \\"b\\", c\\\\d", ERROR = "x"');
    expect(challenge!.params).toEqual({ realm: 'a "b", c\\d', error: 'x' });
  });

  it('reads token68 credentials and bare schemes', () => {
    expect(parseWwwAuthenticate('Negotiate abc+/Z==, Bearer')).toEqual([
      { scheme: 'Negotiate', params: {}, token68: 'abc+/Z==' },
      { scheme: 'Bearer', params: {}, token68: undefined },
    ]);
    expect(parseWwwAuthenticate('Bearer')).toEqual([{ scheme: 'Bearer', params: {}, token68: undefined }]);
  });

  it('tolerates empty list elements and extra whitespace', () => {
    expect(
      parseWwwAuthenticate(' , Bearer  realm = "a" ,  , DPoP ').map(({ scheme, params }) => [scheme, params]),
    ).toEqual([
      ['Bearer', { realm: 'a' }],
      ['DPoP', {}],
    ]);
    expect(parseWwwAuthenticate('Bearer ,, error="invalid_token", Basic realm=x')).toEqual([
      { scheme: 'Bearer', params: { error: 'invalid_token' }, token68: undefined },
      { scheme: 'Basic', params: { realm: 'x' }, token68: undefined },
    ]);
    expect(
      parseWwwAuthenticate('Bearer, Basic realm=x').map(({ scheme, params }) => [scheme, params]),
    ).toEqual([
      ['Bearer', {}],
      ['Basic', { realm: 'x' }],
    ]);
  });

  it('keeps the first of a repeated parameter', () => {
    expect(parseWwwAuthenticate('Bearer error="a", error="b"')[0]!.params.error).toBe('a');
  });

  it('stops at what is malformed and returns what came before', () => {
    expect(parseWwwAuthenticate('Bearer realm="unterminated')).toEqual([
      { scheme: 'Bearer', params: {}, token68: undefined },
    ]);
    expect(parseWwwAuthenticate('"quoted" scheme')).toEqual([]);
    expect(parseWwwAuthenticate('')).toEqual([]);
    expect(parseWwwAuthenticate(null)).toEqual([]);
  });

  it('never throws, and reads back challenges it is given in canonical form', () => {
    fc.assert(fc.property(fc.string(), (header) => Array.isArray(parseWwwAuthenticate(header))));
    const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/);
    const value = fc.string({ maxLength: 12 }).filter((text) => /^[\x20-\x7e]*$/.test(text));
    const challenge = fc.record({
      scheme: token,
      params: fc.dictionary(
        token.map((name) => name.toLowerCase()),
        value,
        { maxKeys: 3 },
      ),
    });
    fc.assert(
      fc.property(fc.array(challenge, { minLength: 1, maxLength: 3 }), (challenges) => {
        const header = challenges
          .map(({ scheme, params }) =>
            [
              scheme,
              Object.entries(params)
                .map(([name, text]) => `${name}="${text.replace(/["\\]/g, '\\$&')}"`)
                .join(', '),
            ]
              .filter(Boolean)
              .join(' '),
          )
          .join(', ');
        expect(parseWwwAuthenticate(header)).toEqual(
          challenges.map(({ scheme, params }) => ({ scheme, params, token68: undefined })),
        );
      }),
    );
  });
});
