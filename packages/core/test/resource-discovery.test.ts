import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DevIdp } from '@grantflow/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../src/errors.js';
import { discoverFromResource, fetchResourceMetadata } from '../src/resource-discovery.js';
import { startIdp } from './support.js';

/** A loopback server answering each path with the JSON document `routes` gives for it (404 otherwise). */
async function serveDocuments(routes: (origin: string) => Record<string, unknown>) {
  let origin = '';
  const requested: string[] = [];
  const server: Server = createServer((req, res) => {
    requested.push(req.url!);
    const doc = routes(origin)[req.url!];
    res.writeHead(doc === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(doc ?? { error: 'not_found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, requested, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('discoverFromResource (RFC 9728 → RFC 8414 / OIDC discovery)', () => {
  let idp: DevIdp;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    idp = await startIdp();
  });
  afterAll(async () => {
    await Promise.all([idp.close(), ...closers.map((close) => close())]);
  });

  async function api(metadata: (origin: string) => Record<string, unknown>) {
    const served = await serveDocuments((origin) => ({
      '/.well-known/oauth-protected-resource/things': metadata(origin),
    }));
    closers.push(served.close);
    return { ...served, resource: `${served.origin}/things` };
  }

  it('follows an API to the dev IdP and checks both identifiers', async () => {
    const { resource, requested } = await api((origin) => ({
      resource: `${origin}/things`,
      authorization_servers: [idp.issuer],
      scopes_supported: ['read:things'],
    }));
    const found = await discoverFromResource(resource);
    expect(requested).toEqual(['/.well-known/oauth-protected-resource/things']);
    expect(found.resource.resource).toBe(resource);
    expect(found.resource.scopes_supported).toEqual(['read:things']);
    expect(found.authorizationServer.issuer).toBe(idp.issuer);
    expect(found.authorizationServer.token_endpoint).toEqual(expect.any(String));
  });

  it('refuses metadata whose resource is not the one asked for (RFC 9728 §3.3)', async () => {
    const { resource } = await api(() => ({
      resource: 'https://elsewhere.example/things',
      authorization_servers: [idp.issuer],
    }));
    await expect(fetchResourceMetadata(resource)).rejects.toThrow(InvalidResponseError);
    await expect(discoverFromResource(resource)).rejects.toThrow(/resource "https:\/\/elsewhere/);
  });

  it('refuses an authorization server whose metadata names another issuer (RFC 8414 §3.3)', async () => {
    // The same server under another host name is a different issuer.
    const otherHost = new URL(idp.issuer);
    otherHost.hostname = '127.0.0.1';
    const { resource } = await api((origin) => ({
      resource: `${origin}/things`,
      authorization_servers: [otherHost.href],
    }));
    await expect(discoverFromResource(resource)).rejects.toThrow(InvalidResponseError);
  });

  it("accepts the dev IdP listed without its root path's slash, keeping the issuer it names", async () => {
    const { resource } = await api((origin) => ({
      resource: `${origin}/things`,
      authorization_servers: [idp.issuer.replace(/\/$/, '')],
    }));
    const found = await discoverFromResource(resource);
    expect(found.authorizationServer.issuer).toBe(idp.issuer);
  });

  it('reads RFC 8414 metadata first, checking its issuer exactly', async () => {
    const as = await serveDocuments((origin) => ({
      '/.well-known/oauth-authorization-server/tenant': {
        issuer: `${origin}/tenant`,
        authorization_endpoint: `${origin}/tenant/authorize`,
        token_endpoint: `${origin}/tenant/token`,
      },
      '/.well-known/oauth-authorization-server/impostor': {
        issuer: `${origin}/tenant`,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
      },
    }));
    closers.push(as.close);
    const { resource } = await api((origin) => ({
      resource: `${origin}/things`,
      authorization_servers: [`${as.origin}/tenant`, `${as.origin}/impostor`],
    }));
    const found = await discoverFromResource(resource);
    expect(found.authorizationServer.token_endpoint).toBe(`${as.origin}/tenant/token`);
    await expect(discoverFromResource(resource, { issuer: `${as.origin}/impostor` })).rejects.toThrow(
      /issuer/,
    );
  });

  it("drops an issuer's terminating slash before the RFC 8414 well-known segment", async () => {
    const as = await serveDocuments((origin) => ({
      '/.well-known/oauth-authorization-server/tenant': {
        issuer: `${origin}/tenant/`,
        authorization_endpoint: `${origin}/tenant/authorize`,
        token_endpoint: `${origin}/tenant/token`,
      },
    }));
    closers.push(as.close);
    const { resource } = await api((origin) => ({
      resource: `${origin}/things`,
      authorization_servers: [`${as.origin}/tenant/`],
    }));
    const found = await discoverFromResource(resource);
    expect(as.requested).toEqual(['/.well-known/oauth-authorization-server/tenant']);
    expect(found.authorizationServer.issuer).toBe(`${as.origin}/tenant/`);
  });

  it('refuses an issuer the API does not list, and an API without metadata', async () => {
    const { resource, origin } = await api((o) => ({
      resource: `${o}/things`,
      authorization_servers: [idp.issuer],
    }));
    await expect(discoverFromResource(resource, { issuer: 'https://evil.example/' })).rejects.toThrow(
      /not one of its authorization_servers/,
    );
    await expect(discoverFromResource(`${origin}/nothing-here`)).rejects.toMatchObject({
      code: 'invalid_response',
      status: 404,
    });
  });
});

describe('discoverFromResource refuses metadata it cannot use', () => {
  const RESOURCE = 'https://api.example/things';
  const AS = 'https://as.example';
  /** A fetch answering the API's and the authorization server's well-known documents. */
  const serving = (resource: Record<string, unknown>, server: Record<string, unknown> = {}) => {
    const documents: Record<string, unknown> = {
      'https://api.example/.well-known/oauth-protected-resource/things': { resource: RESOURCE, ...resource },
      'https://as.example/.well-known/oauth-authorization-server': {
        issuer: AS,
        authorization_endpoint: `${AS}/authorize`,
        token_endpoint: `${AS}/token`,
        ...server,
      },
    };
    return async (url: string) =>
      documents[url] === undefined ? new Response(null, { status: 404 }) : Response.json(documents[url]);
  };
  const refusal = async (attempt: Promise<unknown>, message: string) => {
    await expect(attempt).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(attempt).rejects.toThrow(message);
  };

  it('authorization_servers that is not a list of strings', async () => {
    for (const servers of ['https://as.example', [AS, 42], { 0: AS }]) {
      await refusal(
        discoverFromResource(RESOURCE, { fetch: serving({ authorization_servers: servers }) }),
        'resource metadata: bad authorization_servers',
      );
    }
  });

  it('no authorization_servers, with or without an issuer asked for', async () => {
    await refusal(
      discoverFromResource(RESOURCE, { fetch: serving({}) }),
      'resource metadata: no authorization_servers',
    );
    await refusal(
      discoverFromResource(RESOURCE, { issuer: AS, fetch: serving({}) }),
      `resource metadata: ${AS} is not one of its authorization_servers`,
    );
  });

  it.each(['authorization_endpoint', 'token_endpoint'])(
    'authorization server metadata without a string %s',
    async (name) => {
      await refusal(
        discoverFromResource(RESOURCE, {
          fetch: serving({ authorization_servers: [AS] }, { [name]: 42 }),
        }),
        `authorization server metadata: bad ${name}`,
      );
    },
  );

  it('accepts the same documents when they are complete', async () => {
    const found = await discoverFromResource(RESOURCE, { fetch: serving({ authorization_servers: [AS] }) });
    expect(found.authorizationServer.token_endpoint).toBe(`${AS}/token`);
  });
});

describe('discoverFromResource: where it looks', () => {
  const AS = 'https://as.example';
  const server = { issuer: AS, authorization_endpoint: `${AS}/authorize`, token_endpoint: `${AS}/token` };
  /** A fetch serving `documents` by URL (404 otherwise), recording what was asked. */
  const serving = (documents: Record<string, unknown>) => {
    const asked: string[] = [];
    const fetch = async (url: string) => {
      asked.push(url);
      return documents[url] === undefined
        ? new Response(null, { status: 404 })
        : Response.json(documents[url]);
    };
    return { asked, fetch };
  };

  it.each([
    ['https://api.example/', 'https://api.example/.well-known/oauth-protected-resource'],
    ['https://api.example/things/', 'https://api.example/.well-known/oauth-protected-resource/things/'],
  ])('asks for the metadata of %s at %s (RFC 9728 §3.1)', async (resource, at) => {
    const { asked, fetch } = serving({
      [at]: { resource, authorization_servers: [AS] },
      [`${AS}/.well-known/oauth-authorization-server`]: server,
    });
    await expect(discoverFromResource(resource, { fetch })).resolves.toMatchObject({
      resource: { resource },
    });
    expect(asked[0]).toBe(at);
  });

  it('falls back to OpenID discovery where the server has no RFC 8414 document', async () => {
    const resource = 'https://api.example/things';
    const { asked, fetch } = serving({
      'https://api.example/.well-known/oauth-protected-resource/things': {
        resource,
        authorization_servers: [AS],
      },
      [`${AS}/.well-known/openid-configuration`]: server,
    });
    const found = await discoverFromResource(resource, { fetch });
    expect(found.authorizationServer.token_endpoint).toBe(`${AS}/token`);
    expect(asked.slice(1)).toEqual([
      `${AS}/.well-known/oauth-authorization-server`,
      `${AS}/.well-known/openid-configuration`,
    ]);
  });

  it('says which document it could not read', async () => {
    const resource = 'https://api.example/things';
    await expect(discoverFromResource(resource, serving({}))).rejects.toThrow('resource metadata: HTTP 404');
    const { fetch } = serving({
      'https://api.example/.well-known/oauth-protected-resource/things': {
        resource,
        authorization_servers: [AS],
      },
      [`${AS}/.well-known/oauth-authorization-server`]: ['not', 'an', 'object'],
    });
    await expect(discoverFromResource(resource, { fetch })).rejects.toThrow(
      'authorization server metadata: HTTP 200',
    );
  });
});
