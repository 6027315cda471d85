import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthClient } from '../src/index.js';
import { memoryStorage } from '../src/storage.js';

const REDIRECT_URI = 'https://app.example/callback';
const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A hand-written OpenID Provider on loopback, at an issuer with a path, that answers only what the RFCs
 * require: discovery with `extra` members, and a token endpoint answering each grant with `answer`.
 */
async function startServer(
  extra: Record<string, unknown>,
  answer: (grant: URLSearchParams, idToken: (claims: object) => string) => object,
) {
  const grants: URLSearchParams[] = [];
  let issuer = '';
  const idToken = (claims: object) => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: issuer, sub: 'u1', aud: 'app', iat: now, exp: now + 600, ...claims };
    return `${segment({ alg: 'ES256' })}.${segment(payload)}.c2ln`;
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const json = (document: object) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
      if (req.url === '/tenant/.well-known/openid-configuration') {
        return json({
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          ...extra,
        });
      }
      if (req.url !== '/tenant/token') return void res.writeHead(404).end();
      grants.push(new URLSearchParams(body));
      json(answer(grants.at(-1)!, idToken));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tenant`;
  const close = () =>
    new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return { issuer, grants, close };
}

let server: Awaited<ReturnType<typeof startServer>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A client of `server` whose navigations are recorded; `login()` starts one and returns its authorize URL. */
function clientOf(issuer: string) {
  const navigations: string[] = [];
  const client = createAuthClient({
    issuer,
    clientId: 'app',
    redirectUri: REDIRECT_URI,
    useRefreshTokens: true,
    storage: memoryStorage(),
    environment: { sessionStorage: undefined, localStorage: undefined },
    navigate: (url) => void navigations.push(url),
  });
  const login = async () => {
    await client.loginWithRedirect();
    return new URL(navigations.at(-1)!).searchParams;
  };
  return { client, login };
}

describe('a provider that answers only what RFC 6749 §5.1 and OIDC Core §12.2 require', () => {
  it('refreshes without a new refresh token or ID token: the next refresh spends the same one, the user stays', async () => {
    let nonce: string | null = null;
    server = await startServer({}, (grant, idToken) =>
      grant.get('grant_type') === 'authorization_code'
        ? // `bearer` in lower case (§5.1: case-insensitive), no scope (the one asked for), no expires_in.
          {
            access_token: 'at-0',
            token_type: 'bearer',
            refresh_token: 'rt',
            id_token: idToken({ nonce, aud: ['app', 'https://api.example'], azp: 'app', name: 'U' }),
            not_in_any_rfc: { kept: false },
          }
        : { access_token: `at-${grant.get('refresh_token')}`, token_type: 'Bearer', expires_in: 600 },
    );
    const { client, login } = clientOf(server.issuer);
    const authorize = await login();
    nonce = authorize.get('nonce');
    await client.handleRedirectCallback(`${REDIRECT_URI}?code=c&state=${authorize.get('state')}`);
    expect(client.getSnapshot()).toMatchObject({
      user: { sub: 'u1', name: 'U' },
      scope: 'openid profile email offline_access',
      tokenType: 'Bearer',
      accessTokenExpiresAt: undefined,
    });

    for (let round = 0; round < 2; round++) {
      expect(await client.getAccessToken({ cacheMode: 'off' })).toBe('at-rt');
    }
    expect(server.grants.slice(1).map((grant) => grant.get('refresh_token'))).toEqual(['rt', 'rt']);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'u1', name: 'U' } });
    client.destroy();
  });
});

describe('PKCE against what the metadata lists (RFC 7636 §4.2: a client able to use S256 must)', () => {
  it.each([[undefined], [['plain']]])(
    'sends S256 whatever code_challenge_methods_supported says (%j): never plain',
    async (methods) => {
      server = await startServer({ code_challenge_methods_supported: methods }, () => ({}));
      const { client, login } = clientOf(server.issuer);
      const authorize = await login();
      expect(authorize.get('code_challenge_method')).toBe('S256');
      expect(authorize.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      client.destroy();
    },
  );
});

describe('RFC 9207 on an error response (§2.4: not assumed to come from the intended server)', () => {
  /** The `error=access_denied` answer to a login, with `iss` as given (none when undefined). */
  async function deniedWith(supported: boolean, iss: (issuer: string) => string | undefined) {
    server = await startServer({ authorization_response_iss_parameter_supported: supported }, () => ({}));
    const { client, login } = clientOf(server.issuer);
    const callback = new URL(REDIRECT_URI);
    callback.searchParams.set('error', 'access_denied');
    callback.searchParams.set('state', (await login()).get('state')!);
    const named = iss(server.issuer);
    if (named !== undefined) callback.searchParams.set('iss', named);
    const outcome = await client.handleRedirectCallback(callback.href).catch((error: unknown) => error);
    client.destroy();
    return outcome;
  }

  it('is refused, not surfaced as the server’s access_denied, without the iss the server announced', async () => {
    expect(await deniedWith(true, () => undefined)).toMatchObject({ code: 'invalid_response' });
  });

  it('is refused naming another issuer, also where the server announced nothing', async () => {
    expect(await deniedWith(false, (issuer) => `${issuer}/`)).toMatchObject({ code: 'invalid_response' });
  });

  it('is the typed authorization error when it names the issuer', async () => {
    expect(await deniedWith(true, (issuer) => issuer)).toMatchObject({
      code: 'authorization_error',
      error: 'access_denied',
    });
  });
});
