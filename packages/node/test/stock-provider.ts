import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors, type Configuration } from 'oidc-provider';
import { startCli } from './cli-process.js';

export const NATIVE_CLIENT_ID = 'native-cli';

export interface StockProvider {
  issuer: string;
  provider: Provider;
  /** The `grant_type` of every token request the provider answered with tokens. */
  grants: string[];
  /** The `scope` each refresh named, `undefined` for none. */
  refreshScopes: (string | undefined)[];
  /** From now on the provider takes every request and answers none: the paths it was asked for since. */
  hang(): { paths: string[] };
  close(): Promise<void>;
}

/**
 * The user signs in and consents to everything asked, without a page: the interaction ends as soon as
 * the browser reaches it, the way an app's own login and consent pages would end it.
 */
async function finishInteraction(provider: Provider, req: IncomingMessage, res: ServerResponse) {
  const { prompt, params, session, grantId } = await provider.interactionDetails(req, res);
  if (prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: 'alice' } });
    return;
  }
  const grant = grantId
    ? (await provider.Grant.find(grantId))!
    : new provider.Grant({ accountId: session!.accountId, clientId: params.client_id as string });
  const missing = prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  await provider.interactionFinished(
    req,
    res,
    { consent: { grantId: await grant.save() } },
    {
      mergeWithLastSubmission: true,
    },
  );
}

/** An API as an RFC 8707 resource server: its identifier and the scopes it takes. */
export interface ResourceServer {
  resource: string;
  scope: string;
}

/** Resource indicators as a deployment sets them up: JWT access tokens for the one API, none other. */
const resourceIndicators = ({ resource, scope }: ResourceServer): Configuration['features'] => ({
  resourceIndicators: {
    enabled: true,
    getResourceServerInfo: (_ctx, requested) => {
      if (requested !== resource) throw new errors.InvalidTarget();
      return { scope, audience: resource, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
    },
  },
});

/**
 * A stock `oidc-provider`, none of the dev IdP's changes: a native client with a loopback redirect, and
 * refresh tokens as its defaults have them, only for `offline_access` asked with `prompt=consent`
 * (OpenID Connect Core §11). On a free port; `accessTokenTtl` in seconds; with `resourceServer`, RFC 8707
 * resource indicators for that API; `name`, the user's name claim.
 */
export async function startStockProvider({
  accessTokenTtl,
  resourceServer,
  name = 'Alice Stock',
}: {
  accessTokenTtl: number;
  resourceServer?: ResourceServer;
  name?: string;
}): Promise<StockProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: NATIVE_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    cookies: { keys: ['stock-provider-test'] },
    features: {
      devInteractions: { enabled: false },
      ...(resourceServer ? resourceIndicators(resourceServer) : {}),
    },
    ttl: { AccessToken: accessTokenTtl, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, email: `${sub}@example.com`, name }),
    }),
    claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
  });
  const grants: string[] = [];
  const refreshScopes: (string | undefined)[] = [];
  provider.on('grant.success', (ctx) => {
    const params = ctx.oidc.params as { grant_type?: string; scope?: string } | undefined;
    grants.push(String(params?.grant_type));
    if (params?.grant_type === 'refresh_token') refreshScopes.push(params.scope);
  });
  const callback = provider.callback();
  let hanging: { paths: string[] } | undefined;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (hanging) return void hanging.paths.push(new URL(req.url ?? '/', issuer).pathname);
    if (!req.url?.startsWith('/interaction/')) return void callback(req, res);
    finishInteraction(provider, req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  return {
    issuer,
    provider,
    grants,
    refreshScopes,
    hang: () => (hanging = { paths: [] }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A browser for the stock provider: follows its redirects with the cookies it sets, through the
 * interaction, to the loopback redirect URI, and opens that. Resolves with the callback's answer.
 */
export async function followToCallback(
  authorizeUrl: string | URL,
): Promise<{ callback: URL; status: number }> {
  const cookies = new Map<string, string>();
  let url = new URL(authorizeUrl);
  const provider = url.origin;
  for (let hop = 0; hop < 20 && url.origin === provider; hop++) {
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: { cookie } });
    for (const set of response.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (!location) throw new Error(`the provider stopped at ${url.pathname} with ${response.status}`);
    url = new URL(location, url);
  }
  const response = await fetch(url);
  await response.body?.cancel();
  return { callback: url, status: response.status };
}

const AUTHORIZE_URL = /http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/;

/** `grantflow login --no-browser` at the stock provider, the test's browser following the printed URL. */
export async function loginWithCliAt(stock: StockProvider, env: Record<string, string>, args: string[] = []) {
  const run = startCli(
    ['login', '--issuer', stock.issuer, '--client-id', NATIVE_CLIENT_ID, '--no-browser', ...args],
    env,
  );
  const [url] = await run.waitForStderr(AUTHORIZE_URL);
  await run.waitForStderr(/waiting for the browser/i);
  const { status } = await followToCallback(url);
  return { code: await run.exit, stdout: run.stdout, stderr: run.stderr, url: new URL(url), status };
}
