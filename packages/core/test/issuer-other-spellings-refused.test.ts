import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discover } from '../src/discovery.js';
import { InvalidResponseError } from '../src/errors.js';
import type { FetchLike } from '../src/http.js';
import { discoverFromResource } from '../src/resource-discovery.js';

const document = (issuer: string) => ({
  issuer,
  authorization_endpoint: 'https://idp.example/authorize',
  token_endpoint: 'https://idp.example/token',
});

/** Discovery at `configured` whose document names `named`: the issuer it keeps, or the refusal. */
const discovered = (configured: string, named: string) =>
  discover(configured, { fetch: async () => Response.json(document(named)) }).then(
    (metadata) => metadata.issuer,
    (error: unknown) => error,
  );

/** The same through an API's RFC 9728 metadata listing `configured`, whose RFC 8414 metadata names `named`. */
const discoveredFromResource = (configured: string, named: string) => {
  const fetch: FetchLike = async (url) =>
    url.includes('oauth-protected-resource')
      ? Response.json({ resource: 'https://api.example/', authorization_servers: [configured] })
      : Response.json(document(named));
  return discoverFromResource('https://api.example/', { fetch }).then(
    (found) => found.authorizationServer.issuer,
    (error: unknown) => error,
  );
};

// Spellings a URL parser takes for the same URL, which OIDC Discovery §4.3 and RFC 8414 §3.3 do not:
// the issuer must be identical.
const SAME_URL_OTHER_STRING: Array<[string, string]> = [
  ['https://idp.example/', 'https://IDP.EXAMPLE/'],
  ['https://idp.example/', 'HTTPS://idp.example/'],
  ['https://idp.example/', 'https://idp.example:443/'],
  ['http://localhost:4000/', 'http://LOCALHOST:4000/'],
  ['http://localhost:4000/', 'http://localhost:04000/'],
  ['http://idp.example/', 'http://idp.example:80/'],
  ['https://idp.example/', 'https://idp.example/x/../'],
  ['https://idp.example/', 'https://idp.example/./'],
  ['https://idp.example/tenant', 'https://idp.example/a/../tenant'],
  ['https://idp.example/', 'https:\\\\idp.example\\'],
  ['https://idp.example/tenant', 'https://idp.example\\tenant'],
  ['https://idp.example/', ' https://idp.example/'],
  ['https://idp.example/', 'https://idp.example/ '],
  ['https://idp.example/', '\thttps://idp.example/\t'],
  ['https://idp.example/', 'https://idp.exa\tmple/'],
  ['https://idp.example/', 'https://idp.example/\n'],
  ['http://127.0.0.1:4000/', 'http://127.1:4000/'],
  ['http://127.0.0.1:4000/', 'http://2130706433:4000/'],
  ['http://127.0.0.1:4000/', 'http://0x7f.0.0.1:4000/'],
  ['http://127.0.0.1:4000/', 'http://0177.0.0.1:4000/'],
  ['https://idp.example/', 'https://\uff49dp.example/'],
  ['https://idp.example/', 'https://id\u00adp.example/'],
];

// Strings that differ by a slash, where it is not (only) a root path's.
const NOT_A_ROOT_SLASH: Array<[string, string]> = [
  ['https://idp.example/tenant', 'https://idp.example/tenant/'],
  ['https://idp.example', 'https://idp.example/?'],
  ['https://idp.example', 'https://idp.example/#'],
  ['https://idp.example?', 'https://idp.example?/'],
  ['https://idp.example#', 'https://idp.example#/'],
  ['https://idp.example/', 'https://idp.example//'],
  ['https://idp.example\\', 'https://idp.example\\/'],
  ['foo:', 'foo:/'],
  ['urn:idp', 'urn:idp/'],
];

describe('an issuer is refused in any other spelling than its own (OIDC Discovery §4.3, RFC 8414 §3.3)', () => {
  it.each(
    [...SAME_URL_OTHER_STRING, ...NOT_A_ROOT_SLASH].flatMap(([a, b]) => [[a, b] as const, [b, a] as const]),
  )('configured %j, named %j: refused by discovery and by resource discovery', async (configured, named) => {
    expect(await discovered(configured, named)).toBeInstanceOf(InvalidResponseError);
    expect(await discoveredFromResource(configured, named)).toBeInstanceOf(InvalidResponseError);
  });

  it('refuses the configured issuer and a slash where that is no URL (a trailing space the parser drops, then in the host)', async () => {
    expect(await discovered('https://idp.example ', 'https://idp.example /')).toBeInstanceOf(
      InvalidResponseError,
    );
  });

  it.each([
    ['https://idp.example', 'https://idp.example/'],
    ['http://localhost:4000', 'http://localhost:4000/'],
    ['https://IDP.example:8443', 'https://IDP.example:8443/'],
  ])(
    'accepts the root slash both ways (%s and %s), keeping the form the document names',
    async (bare, slash) => {
      for (const [configured, named] of [
        [bare, slash],
        [slash, bare],
        [bare, bare],
        [slash, slash],
      ] as const) {
        expect(await discovered(configured, named)).toBe(named);
        expect(await discoveredFromResource(configured, named)).toBe(named);
      }
    },
  );

  /** A bare origin: no path, query, fragment, backslash or whitespace after the scheme. */
  const isBareRoot = (value: string) => /^https?:\/\/[^/?#\\\s]+$/.test(value);
  const spellings = (url: string): string[] => [
    url,
    `${url}/`,
    url.replace(/\/$/, ''),
    url.toUpperCase(),
    url.replace(/^(https?:\/\/[^/?#]+)/, '$1/x/..'),
    ` ${url}`,
    `${url}\t`,
    url.replace(/\//g, '\\'),
    url.replace(/^https:\/\/([^/?#:]+)/, 'https://$1:443').replace(/^http:\/\/([^/?#:]+)/, 'http://$1:80'),
  ];

  it('accepts a named issuer exactly when it is the configured string, or differs by a bare origin’s slash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.nat(),
        fc.nat(),
        async (url, i, j) => {
          const forms = spellings(url);
          const configured = forms[i % forms.length]!;
          const named = forms[j % forms.length]!;
          const [short, long] = configured.length < named.length ? [configured, named] : [named, configured];
          const expected = configured === named || (isBareRoot(short) && long === `${short}/`);
          const outcome = await discovered(configured, named);
          expect(outcome instanceof InvalidResponseError ? 'refused' : outcome).toBe(
            expected ? named : 'refused',
          );
        },
      ),
      { numRuns: 300 },
    );
    // 300 discoveries took up to 16 s in CI with turbo running other packages' tests beside them.
  }, 120_000);
});
