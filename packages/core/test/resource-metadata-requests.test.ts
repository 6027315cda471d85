import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../src/errors.js';
import type { FetchLike } from '../src/http.js';
import { discoverFromResource, fetchResourceMetadata } from '../src/resource-discovery.js';

const AS = 'https://as.example';
const SERVER = { issuer: AS, authorization_endpoint: `${AS}/authorize`, token_endpoint: `${AS}/token` };

/** A fetch serving `documents` by URL (404 otherwise), recording each request's URL and `accept` header. */
function serving(documents: Record<string, unknown>) {
  const requests: Array<{ url: string; accept: string | null }> = [];
  const fetch: FetchLike = async (url, init) => {
    requests.push({ url, accept: new Headers(init.headers).get('accept') });
    return documents[url] === undefined ? new Response(null, { status: 404 }) : Response.json(documents[url]);
  };
  return { requests, fetch };
}

/** RFC 9728 §3.1: the well-known segment between the host and the path; a lone `/` path is dropped. */
const wellKnownOf = (resource: string) => {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}/.well-known/oauth-protected-resource${path}${url.search}`;
};

describe('discoverFromResource asks for JSON', () => {
  it('from the API and from its authorization server (RFC 9728 §3.1, RFC 8414 §3.1)', async () => {
    const resource = 'https://api.example/things';
    const { requests, fetch } = serving({
      [wellKnownOf(resource)]: { resource, authorization_servers: [AS] },
      [`${AS}/.well-known/oauth-authorization-server`]: SERVER,
    });
    await discoverFromResource(resource, { fetch });
    expect(requests).toEqual([
      { url: wellKnownOf(resource), accept: 'application/json' },
      { url: `${AS}/.well-known/oauth-authorization-server`, accept: 'application/json' },
    ]);
  });
});

describe('the well-known URL of resource metadata (RFC 9728 §3.1)', () => {
  it.each([
    ['https://resource.example.com', 'https://resource.example.com/.well-known/oauth-protected-resource'],
    [
      'https://resource.example.com/resource1',
      'https://resource.example.com/.well-known/oauth-protected-resource/resource1',
    ],
    [
      'https://api.example/v1?tenant=a',
      'https://api.example/.well-known/oauth-protected-resource/v1?tenant=a',
    ],
  ])('for %s is %s', async (resource, expected) => {
    const { requests, fetch } = serving({ [expected]: { resource } });
    await expect(fetchResourceMetadata(resource, { fetch })).resolves.toEqual({ resource });
    expect(requests.map(({ url }) => url)).toEqual([expected]);
  });
});

describe('fetchResourceMetadata, whatever the identifier or the document', () => {
  const resources = fc
    .webUrl({ validSchemes: ['https'], withQueryParameters: true })
    .filter((url) => url === new URL(url).href);

  it('looks for the metadata of any resource identifier at its well-known URL', async () => {
    await fc.assert(
      fc.asyncProperty(resources, async (resource) => {
        const { requests, fetch } = serving({ [wellKnownOf(resource)]: { resource } });
        await expect(fetchResourceMetadata(resource, { fetch })).resolves.toEqual({ resource });
        expect(requests.map(({ url }) => url)).toEqual([wellKnownOf(resource)]);
      }),
    );
  });

  it('refuses any authorization_servers that is not a list of strings', async () => {
    const notAListOfStrings = fc
      .jsonValue()
      .filter((value) => !(Array.isArray(value) && value.every((s) => typeof s === 'string')));
    await fc.assert(
      fc.asyncProperty(resources, notAListOfStrings, async (resource, servers) => {
        const { fetch } = serving({
          [wellKnownOf(resource)]: { resource, authorization_servers: servers },
        });
        const attempt = fetchResourceMetadata(resource, { fetch });
        await expect(attempt).rejects.toBeInstanceOf(InvalidResponseError);
        await expect(attempt).rejects.toMatchObject({
          code: 'invalid_response',
          message: 'resource metadata: bad authorization_servers',
        });
      }),
    );
  });

  it('accepts any list of strings as authorization_servers, and keeps the other members', async () => {
    await fc.assert(
      fc.asyncProperty(resources, fc.array(fc.string()), async (resource, servers) => {
        const document = { resource, authorization_servers: servers, scopes_supported: ['read'] };
        const { fetch } = serving({ [wellKnownOf(resource)]: document });
        await expect(fetchResourceMetadata(resource, { fetch })).resolves.toEqual(document);
      }),
    );
  });
});
