import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient, MissingRefreshTokenError, type AuthClientOptions } from '../src/index.js';
import { memoryStorage } from '../src/storage.js';
import { jwtPayload } from './support.js';

const API = 'https://api.example/';
/** A second API the provider knows, and one it does not. */
const OTHER_API = 'https://other.example/';
const UNKNOWN_API = 'https://unknown.example/';
const REDIRECT_URI = 'https://app.example/callback';

/** A stock oidc-provider with RFC 8707 resource indicators as a deployment sets them up: one API, JWT tokens for it. */
async function startResourceProvider() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'spa',
        token_endpoint_auth_method: 'none',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    cookies: { keys: ['resource-provider-test'] },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== API && resource !== OTHER_API) throw new errors.InvalidTarget();
          return {
            scope: 'read:items',
            audience: resource,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  });
  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/interaction/')) return void callback(req, res);
    consent(provider, req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** Signs `alice` in and grants whatever is asked: OIDC scopes and the API's. */
async function consent(provider: Provider, req: IncomingMessage, res: ServerResponse) {
  const { prompt, params, session, grantId } = await provider.interactionDetails(req, res);
  if (prompt.name === 'login')
    return provider.interactionFinished(req, res, { login: { accountId: 'alice' } });
  const grant = grantId
    ? (await provider.Grant.find(grantId))!
    : new provider.Grant({ accountId: session!.accountId, clientId: params.client_id as string });
  const details = prompt.details as {
    missingOIDCScope?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  for (const [resource, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  return provider.interactionFinished(
    req,
    res,
    { consent: { grantId: await grant.save() } },
    { mergeWithLastSubmission: true },
  );
}

/** A browser: follows the provider's redirects with its cookies, back to the redirect URI. */
async function followToCallback(authorizeUrl: string): Promise<string> {
  const cookies = new Map<string, string>();
  let url = new URL(authorizeUrl);
  const { origin } = url;
  for (let hop = 0; hop < 20 && url.origin === origin; hop++) {
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: { cookie } });
    for (const set of response.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (!location) throw new Error(`the provider stopped at ${url.pathname} with ${response.status}`);
    url = new URL(location, url);
  }
  return url.href;
}

/**
 * A client of the provider, signed in as alice, on `clock`. A standard provider issues a refresh token
 * for offline_access only with consent (OIDC Core §11): every sign-in asks for it.
 */
async function signedIn(clock: { now: number }, options: Partial<AuthClientOptions>) {
  const navigations: string[] = [];
  const client = createAuthClient({
    issuer: provider.issuer,
    clientId: 'spa',
    redirectUri: REDIRECT_URI,
    scope: 'openid read:items',
    useRefreshTokens: true,
    storage: memoryStorage(),
    now: () => clock.now,
    navigate: (url) => void navigations.push(url),
    ...options,
    authorizationParams: { prompt: 'consent', ...options.authorizationParams },
  });
  await client.loginWithRedirect();
  await client.handleRedirectCallback(await followToCallback(navigations[0]!));
  return client;
}

let provider: Awaited<ReturnType<typeof startResourceProvider>>;
beforeAll(async () => {
  provider = await startResourceProvider();
});
afterAll(() => provider.close());

describe('resource against a stock oidc-provider with resource indicators (RFC 8707)', () => {
  it.each([
    ['resource', { resource: API }],
    ["oidc-client-ts's authorizationParams.resource list", { authorizationParams: { resource: [API] } }],
  ])(
    '(%s) gets JWT access tokens for the API from the code exchange and from each refresh',
    async (_name, api) => {
      const clock = { now: Date.now() };
      const client = await signedIn(clock, {
        ...api,
        authorizationParams: 'authorizationParams' in api ? api.authorizationParams : {},
      });
      const first = jwtPayload(await client.getAccessToken());
      expect(first).toMatchObject({ aud: API, scope: 'read:items' });

      clock.now += 3_600_000;
      const renewed = jwtPayload(await client.getAccessToken());
      expect(renewed).toMatchObject({ aud: API, scope: 'read:items' });
      expect(renewed.jti).not.toBe(first.jti);
      client.destroy();
    },
  );
});

describe('several resources asked for at sign-in (RFC 8707 §2.2: one grant serves them all)', () => {
  it("gets tokens for another listed API with the default API's refresh token, kept rotated for both", async () => {
    const refreshes: Array<{ resource: string | null }> = [];
    const clock = { now: Date.now() };
    const client = await signedIn(clock, {
      authorizationParams: { resource: [API, OTHER_API] },
      fetch: (url, init) => {
        const body = new URLSearchParams(init.body instanceof URLSearchParams ? init.body : undefined);
        if (body.get('grant_type') === 'refresh_token') refreshes.push({ resource: body.get('resource') });
        return fetch(url, init);
      },
    });
    expect(jwtPayload(await client.getAccessToken())).toMatchObject({ aud: API });

    expect(jwtPayload(await client.getAccessToken({ audience: OTHER_API }))).toMatchObject({
      aud: OTHER_API,
      scope: 'read:items',
    });
    // An API the sign-in did not list has no refresh token: the server is not asked (oidc-provider would
    // spend the rotating refresh token on a request it refuses with invalid_target).
    await expect(client.getAccessToken({ audience: UNKNOWN_API })).rejects.toBeInstanceOf(
      MissingRefreshTokenError,
    );
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', isAuthenticated: true });

    // Whatever the refresh token rotated to serves the default API next, and the other one after.
    clock.now += 3_600_000;
    expect(jwtPayload(await client.getAccessToken())).toMatchObject({ aud: API });
    expect(jwtPayload(await client.getAccessToken({ audience: OTHER_API }))).toMatchObject({
      aud: OTHER_API,
    });
    expect(refreshes.map(({ resource }) => resource)).toEqual([OTHER_API, API, OTHER_API]);
    client.destroy();
  });
});
