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

  it('refuses a document whose authorization or token endpoint is not a string', async () => {
    const notAString = fc.jsonValue().filter((value) => typeof value !== 'string');
    await fc.assert(
      fc.asyncProperty(
        issuers,
        fc.constantFrom('authorization_endpoint', 'token_endpoint'),
        notAString,
        async (issuer, name, value) => {
          const document = { issuer, authorization_endpoint: 'a', token_endpoint: 't', [name]: value };
          const { fetch } = serving(document);
          await refused(discover(issuer, { fetch }), `discovery: bad ${name}`);
        },
      ),
    );
  });
});
