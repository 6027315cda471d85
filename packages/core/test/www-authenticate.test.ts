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

describe('parseWwwAuthenticate, token68 and list syntax (RFC 9110 §5.6.1, §11.6.1)', () => {
  it('reads a token68 that ends the header, or that optional whitespace separates from the comma', () => {
    expect(parseWwwAuthenticate('Basic realm="x", Negotiate abc==')).toStrictEqual([
      { scheme: 'Basic', params: { realm: 'x' }, token68: undefined },
      { scheme: 'Negotiate', params: {}, token68: 'abc==' },
    ]);
    expect(parseWwwAuthenticate('Negotiate abc== , Bearer realm="api"')).toStrictEqual([
      { scheme: 'Negotiate', params: {}, token68: 'abc==' },
      { scheme: 'Bearer', params: { realm: 'api' }, token68: undefined },
    ]);
  });

  it('takes no auth-params after a token68: the challenge ends there', () => {
    expect(parseWwwAuthenticate('Negotiate abc==, realm="x"')).toStrictEqual([
      { scheme: 'Negotiate', params: {}, token68: 'abc==' },
    ]);
  });

  it('does not take a scheme after empty list elements for the token68 of a bare scheme', () => {
    expect(parseWwwAuthenticate('Bearer, , , , DPoP')).toStrictEqual([
      { scheme: 'Bearer', params: {}, token68: undefined },
      { scheme: 'DPoP', params: {}, token68: undefined },
    ]);
  });

  it('reads auth-params with optional whitespace before their comma', () => {
    expect(parseWwwAuthenticate('Bearer realm="a" , error="invalid_token"\t, scope=read')).toStrictEqual([
      { scheme: 'Bearer', params: { realm: 'a', error: 'invalid_token', scope: 'read' }, token68: undefined },
    ]);
  });

  it('stops at auth-params that no comma separates', () => {
    expect(parseWwwAuthenticate('Bearer realm="a" error="invalid_token"')).toStrictEqual([
      { scheme: 'Bearer', params: { realm: 'a' }, token68: undefined },
    ]);
  });

  it('invents no challenge from elements that no comma separates', () => {
    const bare = (scheme: string) => ({ scheme, params: {}, token68: undefined });
    expect(parseWwwAuthenticate('Basic abc def')).toStrictEqual([bare('Basic')]);
    expect(parseWwwAuthenticate('a b c d')).toStrictEqual([bare('a')]);
    expect(parseWwwAuthenticate('Bearer realm="x" Basic')).toStrictEqual([
      { scheme: 'Bearer', params: { realm: 'x' }, token68: undefined },
    ]);
    // No Bearer challenge, so no `invalid_token` for createAuthFetch to act on.
    expect(parseWwwAuthenticate('Foo x Bearer error="invalid_token"')).toStrictEqual([bare('Foo')]);
    expect(parseWwwAuthenticate('Basic abc=, Bearer error="invalid_token" x')).toStrictEqual([
      { scheme: 'Basic', params: {}, token68: 'abc=' },
      { scheme: 'Bearer', params: { error: 'invalid_token' }, token68: undefined },
    ]);
  });

  it('reads several field lines as one list, and nothing from what is not a header', () => {
    expect(parseWwwAuthenticate(['DPoP algs="ES256"', 'Bearer error="invalid_token"'])).toStrictEqual([
      { scheme: 'DPoP', params: { algs: 'ES256' }, token68: undefined },
      { scheme: 'Bearer', params: { error: 'invalid_token' }, token68: undefined },
    ]);
    for (const notAHeader of [42, {}, new Headers({ 'www-authenticate': 'Bearer' }), [7], true]) {
      expect(parseWwwAuthenticate(notAHeader as unknown as string)).toStrictEqual([]);
    }
  });

  it('takes a name with "=" but no value for no auth-param at all', () => {
    // Alone after the scheme, `error=` would be a token68.
    for (const header of [
      'Bearer realm="a", error=',
      'Bearer realm="a", error= ',
      'Bearer realm="a", error="open',
    ]) {
      expect(parseWwwAuthenticate(header)).toStrictEqual([
        { scheme: 'Bearer', params: { realm: 'a' }, token68: undefined },
      ]);
    }
  });
});

describe('parseWwwAuthenticate on untrusted headers', () => {
  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const scheme = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/);
  const ows = fc.constantFrom('', ' ', '\t', '  ');
  /** One comma, with optional whitespace and empty list elements around it. */
  const separator = fc
    .tuple(ows, fc.array(fc.constantFrom(',', ', ', ' ,'), { maxLength: 3 }), ows)
    .map(([before, empties, after]) => `${before},${empties.join('')}${after}`);
  const param = fc.record({
    name: scheme.map((name) => name.toLowerCase()),
    value: fc.string({ maxLength: 12 }).filter((text) => /^[\x20-\x7e]*$/.test(text)),
    quoted: fc.boolean(),
    separator,
  });
  const challenge = fc.record({
    scheme,
    params: fc.uniqueArray(param, { maxLength: 3, selector: ({ name }) => name }),
    separator,
  });
  const written = (value: string, quoted: boolean) =>
    quoted || !TOKEN.test(value) ? `"${value.replace(/["\\]/g, '\\$&')}"` : value;

  it('reads back challenges written with any list separators, tokens or quoted strings', () => {
    fc.assert(
      fc.property(fc.array(challenge, { minLength: 1, maxLength: 3 }), separator, (challenges, lead) => {
        const header = challenges
          .map(({ scheme, params }, i) => {
            const list = params.map(
              (p, j) => `${j ? p.separator : ''}${p.name}=${written(p.value, p.quoted)}`,
            );
            return `${i ? challenges[i - 1]!.separator : lead}${[scheme, list.join('')].filter(Boolean).join(' ')}`;
          })
          .join('');
        expect(parseWwwAuthenticate(header)).toStrictEqual(
          challenges.map(({ scheme, params }) => ({
            scheme,
            params: Object.fromEntries(params.map(({ name, value }) => [name, value])),
            token68: undefined,
          })),
        );
      }),
    );
  });

  it('returns a list, and ends, for any value at all', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(Array.isArray(parseWwwAuthenticate(value as string))).toBe(true);
      }),
    );
  });

  it('yields only schemes that are tokens, string values and lower-case names, whatever it is given', () => {
    const text = fc.string({ unit: fc.constantFrom(...'Bearer a=,"\\ \t/+Z'.split('')), maxLength: 30 });
    fc.assert(
      fc.property(fc.oneof(text, fc.string()), (header) => {
        for (const { scheme, params, token68 } of parseWwwAuthenticate(header)) {
          expect(scheme).toMatch(TOKEN);
          for (const [name, value] of Object.entries(params)) {
            expect([name, typeof value]).toEqual([name.toLowerCase(), 'string']);
          }
          expect(token68 === undefined || /^[A-Za-z0-9\-._~+/]+=*$/.test(token68)).toBe(true);
        }
      }),
    );
  });
});
