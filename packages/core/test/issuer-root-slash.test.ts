import { describe, expect, it } from 'vitest';
import { createAuthClient } from '../src/client.js';
import { discover } from '../src/discovery.js';
import { IdTokenInvalidError, InvalidResponseError } from '../src/errors.js';
import type { FetchLike } from '../src/http.js';
import { discoverFromResource } from '../src/resource-discovery.js';

const NOW = 1_700_000_000_000;
const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const document = (issuer: string) => ({
  issuer,
  authorization_endpoint: 'https://idp.example/authorize',
  token_endpoint: 'https://idp.example/token',
});

const serving =
  (body: unknown): FetchLike =>
  async () =>
    Response.json(body);

const refused = async (attempt: Promise<unknown>, message: string) => {
  await expect(attempt).rejects.toBeInstanceOf(InvalidResponseError);
  await expect(attempt).rejects.toThrow(message);
};

describe('discovery: an issuer with or without the slash of a root path is the same URL (RFC 3986 §6.2.3)', () => {
  it.each([
    ['https://idp.example', 'https://idp.example/'],
    ['https://idp.example/', 'https://idp.example'],
    ['http://localhost:4000', 'http://localhost:4000/'],
  ])('configured %s, discovered %s: accepted, the discovered form kept', async (configured, named) => {
    await expect(discover(configured, { fetch: serving(document(named)) })).resolves.toMatchObject({
      issuer: named,
    });
  });

  it("still refuses a path issuer's slash slip, and says so", async () => {
    await refused(
      discover('https://idp.example/tenant', { fetch: serving(document('https://idp.example/tenant/')) }),
      'discovery: issuer "https://idp.example/tenant/" is not https://idp.example/tenant (the trailing slash counts)',
    );
    await refused(
      discover('https://idp.example/tenant/', { fetch: serving(document('https://idp.example/tenant')) }),
      'discovery: issuer "https://idp.example/tenant" is not https://idp.example/tenant/ (the trailing slash counts)',
    );
  });

  it.each(['https://evil.example/', 'http://idp.example/', 'https://idp.example:8443/', 'not a url'])(
    'still refuses another issuer (%s)',
    async (named) => {
      await refused(
        discover('https://idp.example', { fetch: serving(document(named)) }),
        `discovery: issuer ${JSON.stringify(named)} is not https://idp.example`,
      );
    },
  );
});

describe('resource discovery: the authorization server metadata follows the same rule (RFC 8414 §3.3)', () => {
  /** An API listing `listed`, whose authorization server's RFC 8414 metadata names `named`. */
  const world =
    (listed: string, named: string): FetchLike =>
    async (url) =>
      url.includes('oauth-protected-resource')
        ? Response.json({ resource: 'https://api.example/', authorization_servers: [listed] })
        : Response.json(document(named));

  it('accepts the root slash either way, keeping the metadata as served', async () => {
    for (const [listed, named] of [
      ['https://as.example', 'https://as.example/'],
      ['https://as.example/', 'https://as.example'],
    ] as const) {
      const found = await discoverFromResource('https://api.example/', { fetch: world(listed, named) });
      expect(found.authorizationServer.issuer).toBe(named);
    }
  });

  it('refuses a path issuer differing by its slash, or another host', async () => {
    await refused(
      discoverFromResource('https://api.example/', {
        fetch: world('https://as.example/tenant', 'https://as.example/tenant/'),
      }),
      'authorization server metadata: issuer "https://as.example/tenant/" is not https://as.example/tenant',
    );
    await refused(
      discoverFromResource('https://api.example/', {
        fetch: world('https://as.example', 'https://evil.example/'),
      }),
      'authorization server metadata: issuer "https://evil.example/" is not https://as.example',
    );
  });
});

/** Signs in at `configured`, whose discovery names `discovered` and whose ID token has `iss`. */
async function signIn(configured: string, discovered: string, iss: string) {
  const navigations: string[] = [];
  let nonce = '';
  const fetch: FetchLike = async (url) => {
    if (url.endsWith('/.well-known/openid-configuration')) return Response.json(document(discovered));
    const claims = { iss, sub: 'u', aud: 'app', iat: NOW / 1000, exp: NOW / 1000 + 600, nonce };
    const idToken = `${segment({ alg: 'RS256' })}.${segment(claims)}.c2ln`;
    return Response.json({ access_token: 'at', token_type: 'Bearer', expires_in: 600, id_token: idToken });
  };
  const client = createAuthClient({
    issuer: configured,
    clientId: 'app',
    redirectUri: 'https://app.example/callback',
    now: () => NOW,
    fetch,
    navigate: (url) => void navigations.push(url),
    environment: { sessionStorage: undefined, localStorage: undefined },
  });
  await client.loginWithRedirect();
  const authorize = new URL(navigations[0]!).searchParams;
  nonce = authorize.get('nonce')!;
  const outcome = client.handleRedirectCallback(
    `https://app.example/callback?code=c&state=${authorize.get('state')}`,
  );
  return { client, outcome };
}

describe("the ID token's iss is checked against the discovered issuer (OIDC Core §3.1.3.7)", () => {
  it.each([
    ['https://idp.example', 'https://idp.example/'],
    ['https://idp.example/', 'https://idp.example'],
  ])(
    'configured %s, discovered %s: an ID token naming the discovered form signs in',
    async (configured, discovered) => {
      const { client, outcome } = await signIn(configured, discovered, discovered);
      await outcome;
      expect(client.getSnapshot()).toMatchObject({ isAuthenticated: true, user: { sub: 'u' } });
      client.destroy();
    },
  );

  it('refuses an ID token naming the configured form when discovery named the other', async () => {
    const { client, outcome } = await signIn(
      'https://idp.example',
      'https://idp.example/',
      'https://idp.example',
    );
    await expect(outcome).rejects.toBeInstanceOf(IdTokenInvalidError);
    await expect(outcome).rejects.toThrow('ID token: bad iss');
    expect(client.getSnapshot().isAuthenticated).toBe(false);
    client.destroy();
  });
});
