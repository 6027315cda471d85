import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discover } from '../src/discovery.js';
import { InvalidResponseError } from '../src/errors.js';
import type { FetchLike } from '../src/http.js';

/** A fetch answering every request with `document`, recording the URLs asked for. */
const serving = (document: unknown) => {
  const urls: string[] = [];
  const fetch: FetchLike = async (url) => (urls.push(url), Response.json(document));
  return { urls, fetch };
};

const issuers = fc
  .webUrl({ validSchemes: ['https'] })
  .chain((url) => fc.constantFrom(url, `${url.replace(/\/+$/, '')}/`));

const refused = async (attempt: Promise<unknown>, message: string) => {
  await expect(attempt).rejects.toBeInstanceOf(InvalidResponseError);
  await expect(attempt).rejects.toMatchObject({ code: 'invalid_response', message });
};

describe('discover, whatever the provider answers (OIDC Discovery 1.0 §4)', () => {
  it('asks at the issuer without its terminating slashes, and returns a document naming exactly it', async () => {
    await fc.assert(
      fc.asyncProperty(issuers, async (issuer) => {
        const document = {
          issuer,
          authorization_endpoint: 'https://a.example/',
          token_endpoint: 'https://t.example/',
        };
        const { urls, fetch } = serving(document);
        await expect(discover(issuer, { fetch })).resolves.toEqual(document);
        expect(urls).toEqual([`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`]);
      }),
    );
  });

  it('refuses a document naming any other issuer, or none', async () => {
    await fc.assert(
      fc.asyncProperty(issuers, fc.option(fc.jsonValue(), { nil: undefined }), async (issuer, named) => {
        fc.pre(named !== issuer);
        const { fetch } = serving({ issuer: named, authorization_endpoint: 'a', token_endpoint: 't' });
        await refused(
          discover(issuer, { fetch }),
          `discovery: issuer ${JSON.stringify(named)} is not ${issuer}`,
        );
      }),
    );
  });

  const endpoints = {
    authorization_endpoint: 'https://a.example/authorize',
    token_endpoint: 'https://a.example/token',
  };
  /** Anything but an absolute http(s) URL: other JSON values, relative references, other schemes. */
  const notAnHttpUrl = fc.oneof(
    fc.jsonValue().filter((value) => typeof value !== 'string'),
    fc.constantFrom('', 'a', '/authorize', '//idp.example/x', 'javascript:alert(1)', 'ftp://idp.example/'),
    fc.webPath(),
  );

  it('refuses a document whose authorization or token endpoint is missing or not an absolute http(s) URL', async () => {
    await fc.assert(
      fc.asyncProperty(
        issuers,
        fc.constantFrom('authorization_endpoint', 'token_endpoint'),
        fc.option(notAnHttpUrl, { nil: undefined }),
        async (issuer, name, value) => {
          const { fetch } = serving({ issuer, ...endpoints, [name]: value });
          await refused(discover(issuer, { fetch }), `discovery: bad ${name}`);
        },
      ),
    );
  });

  it('refuses a document with an endpoint it may call or send the browser to that is not an absolute http(s) URL', async () => {
    const optional = fc.constantFrom(
      'end_session_endpoint',
      'revocation_endpoint',
      'userinfo_endpoint',
      'pushed_authorization_request_endpoint',
    );
    await fc.assert(
      fc.asyncProperty(
        issuers,
        optional,
        notAnHttpUrl.filter((value) => value !== null),
        async (issuer, name, value) => {
          const { fetch } = serving({ issuer, ...endpoints, [name]: value });
          await refused(discover(issuer, { fetch }), `discovery: bad ${name}`);
        },
      ),
    );
  });

  it('takes optional endpoints that are absent or null, and http(s) ones', async () => {
    const issuer = 'https://idp.example/';
    const document = {
      issuer,
      ...endpoints,
      end_session_endpoint: null,
      revocation_endpoint: 'http://localhost:4000/oauth/revoke',
      userinfo_endpoint: 'https://idp.example/userinfo',
    };
    await expect(discover(issuer, serving(document))).resolves.toEqual(document);
  });
});
