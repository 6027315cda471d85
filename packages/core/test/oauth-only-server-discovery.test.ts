import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { discover } from '../src/discovery.js';
import { createAuthClient } from '../src/index.js';
import { memoryStorage } from '../src/storage.js';

/**
 * An OAuth 2.0 authorization server without OpenID Connect, on loopback: RFC 8414 metadata only, for an
 * issuer with a path (the well-known segment goes between host and path, §3.1), a token endpoint
 * answering as `token` says, and 404 for anything else. `openIdStatus` answers the OpenID document.
 */
async function startOAuthServer(openIdStatus = 404) {
  const requested: string[] = [];
  const grants: URLSearchParams[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requested.push(req.url!);
      const send = (status: number, document: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(document));
      if (req.url === '/tenant/.well-known/openid-configuration') {
        return send(openIdStatus, { error: 'temporarily_unavailable' });
      }
      if (req.url === '/.well-known/oauth-authorization-server/tenant') {
        return send(200, {
          issuer: `${origin}/tenant`,
          authorization_endpoint: `${origin}/tenant/oauth/authorize`,
          token_endpoint: `${origin}/tenant/oauth/token`,
          code_challenge_methods_supported: ['S256'],
        });
      }
      if (req.url === '/tenant/oauth/token' && req.method === 'POST') {
        grants.push(new URLSearchParams(body));
        return send(200, { access_token: `at-${grants.length}`, token_type: 'Bearer', expires_in: 600 });
      }
      send(404, { error: 'not_found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return { issuer: `${origin}/tenant`, origin, requested, grants, close };
}

let server: Awaited<ReturnType<typeof startOAuthServer>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('an OAuth 2.0 server that publishes RFC 8414 metadata only (no OpenID configuration)', () => {
  it('is discovered at the well-known URL between host and path, after the OpenID one is not found', async () => {
    server = await startOAuthServer();
    const metadata = await discover(server.issuer);
    expect(metadata.token_endpoint).toBe(`${server.issuer}/oauth/token`);
    expect(server.requested).toEqual([
      '/tenant/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server/tenant',
    ]);
  });

  it('serves a whole sign-in: authorize at its endpoint, the code exchanged at its token endpoint', async () => {
    server = await startOAuthServer();
    const navigations: string[] = [];
    const client = createAuthClient({
      issuer: server.issuer,
      clientId: 'app',
      redirectUri: 'https://app.example/callback',
      scope: 'read:items',
      storage: memoryStorage(),
      environment: { sessionStorage: undefined, localStorage: undefined },
      navigate: (url) => void navigations.push(url),
    });
    await client.loginWithRedirect();
    const authorize = new URL(navigations[0]!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${server.issuer}/oauth/authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const state = authorize.searchParams.get('state')!;
    await client.handleRedirectCallback(`https://app.example/callback?code=c&state=${state}`);
    expect(await client.getAccessToken()).toBe('at-1');
    expect(server.grants[0]?.get('grant_type')).toBe('authorization_code');
    client.destroy();
  });

  it('is not asked for when the OpenID configuration fails otherwise (a 5xx is a failure to report)', async () => {
    server = await startOAuthServer(503);
    await expect(discover(server.issuer)).rejects.toMatchObject({ code: 'invalid_response', status: 503 });
    expect(server.requested).toEqual(['/tenant/.well-known/openid-configuration']);
  });

  it('must name the issuer it was fetched for (RFC 8414 §3.3); the refusal says which document it read', async () => {
    server = await startOAuthServer();
    await expect(discover(`${server.origin}/tenant/`)).rejects.toThrow(
      'discovery (no openid-configuration; RFC 8414 authorization server metadata): ' +
        `issuer "${server.origin}/tenant" is not ${server.origin}/tenant/ (the trailing slash counts)`,
    );
  });

  it('says the server has neither document when both are not found', async () => {
    server = await startOAuthServer();
    await expect(discover(`${server.origin}/elsewhere`)).rejects.toMatchObject({
      code: 'invalid_response',
      status: 404,
      message: 'discovery (no openid-configuration; RFC 8414 authorization server metadata): HTTP 404',
    });
    expect(server.requested).toEqual([
      '/elsewhere/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server/elsewhere',
    ]);
  });
});
