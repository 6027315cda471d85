import { describe, expect, it } from 'vitest';
import { discover, issuerFromDomain } from '../src/discovery.js';
import { InvalidResponseError } from '../src/errors.js';
import type { FetchLike } from '../src/http.js';
import { discoverFromResource } from '../src/resource-discovery.js';

// An issuer a server names with a long run of slashes before its last character. Stripping terminating
// slashes with a backtracking pattern took time quadratic in the run: this many took minutes, past the
// test's time limit, while the server's document was being checked.
const SLASHES = '/'.repeat(500_000);
const LONG_RUN = `https://idp.example${SLASHES}x`;

/** A fetch answering each URL with the JSON `answer` gives for it (404 where it gives none), recording it. */
const serving = (answer: (url: string) => unknown) => {
  const urls: string[] = [];
  const fetch: FetchLike = async (url) => {
    urls.push(url);
    const body = answer(url);
    return Response.json(body ?? { error: 'not_found' }, { status: body === undefined ? 404 : 200 });
  };
  return { urls, fetch };
};

const endpoints = { authorization_endpoint: 'https://a.example/', token_endpoint: 'https://t.example/' };

describe('issuers with a long run of slashes', () => {
  it('discover refuses a document naming one as the issuer, as any other issuer', async () => {
    const { fetch } = serving(() => ({ issuer: LONG_RUN, ...endpoints }));
    const attempt = discover('https://idp.example/', { fetch });
    await expect(attempt).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(attempt).rejects.toThrow(`discovery: issuer "${LONG_RUN}" is not https://idp.example/`);
  });

  it('discover says the trailing slash counts when only a long run of them differs', async () => {
    const issuer = 'https://idp.example/tenant';
    const { fetch } = serving(() => ({ issuer: `${issuer}${SLASHES}`, ...endpoints }));
    await expect(discover(issuer, { fetch })).rejects.toThrow(`is not ${issuer} (the trailing slash counts)`);
  });

  it("discoverFromResource follows an API's authorization server named so, to its discovery without them", async () => {
    const resource = 'https://api.example/';
    const { urls, fetch } = serving((url) =>
      url === 'https://api.example/.well-known/oauth-protected-resource'
        ? { resource, authorization_servers: [LONG_RUN] }
        : undefined,
    );
    const attempt = discoverFromResource(resource, { fetch });
    await expect(attempt).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(attempt).rejects.toThrow('discovery: HTTP 404');
    expect(urls.at(-1)).toBe(`${LONG_RUN}/.well-known/openid-configuration`);
  });

  it('issuerFromDomain keeps one slash of a domain ending in many', () => {
    expect(issuerFromDomain(`tenant.example${SLASHES}`)).toBe('https://tenant.example/');
  });
});
