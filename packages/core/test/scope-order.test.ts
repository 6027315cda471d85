import { describe, expect, it } from 'vitest';
import { silentAuthorization, type AuthClientOptions } from '../src/index.js';
import { memoryStorage } from '../src/storage.js';
import { OFFLINE_ISSUER, OFFLINE_NOW, offlineClient } from './support.js';

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const idToken = (claims: object) => `${encode({ alg: 'RS256' })}.${encode(claims)}.sig`;
const PAR_ENDPOINT = `${OFFLINE_ISSUER}par`;

type Session = Parameters<typeof offlineClient>[0];

/**
 * A client whose authorize URLs and form posts (token endpoint, PAR) are recorded. The token endpoint
 * answers a token of no stated scope, so it is cached as asked (RFC 6749 §5.1).
 */
function recordingClient(options: Partial<AuthClientOptions> = {}, session: Session = {}) {
  const navigations: URL[] = [];
  const posts: URLSearchParams[] = [];
  let issued = 0;
  const { client } = offlineClient(session, async () => new Response(null, { status: 500 }), {
    navigate: (url) => void navigations.push(new URL(url)),
    fetch: async (url, init) => {
      posts.push(new URLSearchParams(init.body as URLSearchParams));
      if (url === PAR_ENDPOINT)
        return Response.json({ request_uri: 'urn:r', expires_in: 60 }, { status: 201 });
      return Response.json({ access_token: `at${++issued}`, token_type: 'Bearer', expires_in: 300 });
    },
    ...options,
  });
  const loginScope = async (scope?: string | string[]) => {
    await client.loginWithRedirect(scope === undefined ? {} : { authorizationParams: { scope } });
    return navigations.at(-1)!.searchParams.get('scope');
  };
  return { client, posts, loginScope };
}

describe("the scope a request sends keeps the app's order (RFC 6749 §3.3 gives order no meaning)", () => {
  it('is openid profile email by default, as documented', async () => {
    const { client, loginScope } = recordingClient();
    expect(await loginScope()).toBe('openid profile email');
    client.destroy();
  });

  it('adds offline_access after the default scope when refresh tokens are on', async () => {
    const { client, loginScope } = recordingClient({ useRefreshTokens: true });
    expect(await loginScope()).toBe('openid profile email offline_access');
    client.destroy();
  });

  it('keeps a configured scope as written, top-level or inside authorizationParams', async () => {
    const top = recordingClient({ scope: 'read:b read:a openid' });
    expect(await top.loginScope()).toBe('read:b read:a openid');
    top.client.destroy();
    const nested = recordingClient({
      authorizationParams: { scope: 'write:x openid' },
      useRefreshTokens: true,
    });
    expect(await nested.loginScope()).toBe('write:x openid offline_access');
    nested.client.destroy();
  });

  it('appends the scopes a login names, in their order, given as a string or a list', async () => {
    const { client, loginScope } = recordingClient();
    expect(await loginScope('zz aa')).toBe('openid profile email zz aa');
    expect(await loginScope(['zz', 'aa'])).toBe('openid profile email zz aa');
    client.destroy();
    const offline = recordingClient({ useRefreshTokens: true });
    expect(await offline.loginScope('zz aa')).toBe('openid profile email offline_access zz aa');
    offline.client.destroy();
  });

  it('sends each scope once, where it first appears', async () => {
    const { client, loginScope } = recordingClient({ scope: 'read:b openid read:b  email' });
    expect(await loginScope('openid zz read:b zz')).toBe('read:b openid email zz');
    client.destroy();
    const named = recordingClient({ scope: 'offline_access openid', useRefreshTokens: true });
    expect(await named.loginScope('offline_access')).toBe('offline_access openid');
    named.client.destroy();
  });

  it('pushes the same scope in a pushed authorization request (RFC 9126)', async () => {
    const { client, posts } = recordingClient({
      endpoints: {
        authorization: `${OFFLINE_ISSUER}authorize`,
        token: `${OFFLINE_ISSUER}token`,
        pushedAuthorizationRequest: PAR_ENDPOINT,
      },
      pushedAuthorizationRequests: true,
      useRefreshTokens: true,
    });
    await client.loginWithRedirect({ authorizationParams: { scope: 'zz aa' } });
    expect(posts[0]!.get('scope')).toBe('openid profile email offline_access zz aa');
    client.destroy();
  });

  it('asks a refresh for the default scope, then the scopes getAccessToken names, in order', async () => {
    const { client, posts } = recordingClient(
      { useRefreshTokens: true },
      { claims: {}, refresh_tokens: { '': 'rt' } },
    );
    await client.getAccessToken({ scope: 'write:x read:x openid' });
    expect(posts[0]!.get('scope')).toBe('openid profile email offline_access write:x read:x');
    client.destroy();
  });

  it('asks a silent authorization for the scopes getAccessToken names after the default, in order', async () => {
    const asked: URL[] = [];
    const transport = async ({ url, redirectUri }: { url: string; redirectUri: string }) => {
      asked.push(new URL(url));
      return `${redirectUri}?error=login_required&state=${asked.at(-1)!.searchParams.get('state')}`;
    };
    const { client } = recordingClient({ silentAuthorization: silentAuthorization(transport) });
    await expect(client.getAccessToken({ scope: 'write:x read:x' })).rejects.toMatchObject({
      code: 'login_required',
    });
    expect(asked[0]!.searchParams.get('scope')).toBe('openid profile email write:x read:x');
    client.destroy();
  });
});

describe('cached tokens are found whatever the order of the scopes asked for', () => {
  it('serves a token renewed for one order to a call naming the same scopes in another', async () => {
    const { client, posts } = recordingClient({}, { claims: {}, refresh_tokens: { '': 'rt' } });
    expect(await client.getAccessToken({ scope: 'read:x' })).toBe('at1');
    expect(await client.getAccessToken({ scope: 'read:x openid email profile' })).toBe('at1');
    expect(await client.getAccessToken({ scope: 'profile read:x' })).toBe('at1');
    expect(posts).toHaveLength(1);
    client.destroy();
  });

  it('reads a session the previous version stored under its sorted cache key', async () => {
    const token = { access_token: 'stored', expires_at: OFFLINE_NOW + 300_000, scope: 'read:x' };
    const { client, posts } = recordingClient(
      {},
      { claims: {}, tokens: { ' email openid profile read:x': token } },
    );
    expect(await client.getAccessToken({ scope: 'read:x openid email profile' })).toBe('stored');
    expect(await client.getAccessToken({ scope: 'read:x' })).toBe('stored');
    expect(posts).toEqual([]);
    client.destroy();
  });

  it('completes a login the previous version started, its transaction holding the scope sorted', async () => {
    const transactionStorage = memoryStorage();
    transactionStorage.set(
      'grantflow.app.tx.old-state',
      JSON.stringify({
        code_verifier: 'v'.repeat(43),
        nonce: 'n-1',
        redirect_uri: 'https://app.example/callback',
        scope: 'email openid profile read:x',
        expires_at: OFFLINE_NOW + 60_000,
      }),
    );
    const [iat, exp] = [OFFLINE_NOW / 1000, OFFLINE_NOW / 1000 + 60];
    const id_token = idToken({ iss: OFFLINE_ISSUER, sub: 'u', aud: 'app', nonce: 'n-1', iat, exp });
    const posts: URLSearchParams[] = [];
    const { client } = offlineClient({}, async () => new Response(null, { status: 500 }), {
      transactionStorage,
      fetch: async (_url, init) => {
        posts.push(new URLSearchParams(init.body as URLSearchParams));
        return Response.json({ access_token: 'signed-in', token_type: 'Bearer', expires_in: 300, id_token });
      },
    });
    await client.handleRedirectCallback('https://app.example/callback?code=c&state=old-state');
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'u' } });
    expect(await client.getAccessToken({ scope: 'read:x' })).toBe('signed-in');
    expect(posts).toHaveLength(1);
    client.destroy();
  });
});
