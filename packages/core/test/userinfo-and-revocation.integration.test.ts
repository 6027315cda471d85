import { DEFAULT_AUDIENCE, type DevIdp } from '@grantflow/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dpop, memoryKeyStore } from '../src/dpop.js';
import { LoginRequiredError, SubjectMismatchError } from '../src/errors.js';
import type { CacheContents } from '../src/token-cache.js';
import { login, startIdp, startProxy, testClient } from './support.js';

let idp: DevIdp;
let tokenEndpoint: string;
beforeAll(async () => {
  idp = await startIdp();
  tokenEndpoint = String(
    (
      (await (await fetch(`${idp.issuer}.well-known/openid-configuration`)).json()) as {
        token_endpoint: string;
      }
    ).token_endpoint,
  );
});
afterAll(() => idp.close());

const SESSION_KEY = 'grantflow.grantflow-demo.session';

async function storedRefreshToken(storage: { get(key: string): unknown }) {
  const contents = JSON.parse(String(await storage.get(SESSION_KEY))) as CacheContents;
  return contents.refresh_tokens[DEFAULT_AUDIENCE]!;
}

async function refreshWith(refreshToken: string) {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: 'grantflow-demo',
      refresh_token: refreshToken,
    }),
  });
  return { status: response.status, body: (await response.json()) as { error?: string } };
}

describe('getUserInfo', () => {
  it("answers the signed-in user's profile from the userinfo endpoint", async () => {
    const { client, navigations } = testClient(idp.issuer);
    await login(client, navigations);
    expect(await client.getUserInfo()).toMatchObject({ sub: 'alice', email: 'alice@example.com' });
    client.destroy();
  });

  it('sends a token the server issued as Bearer as Bearer, without a proof, even with the DPoP module', async () => {
    const userinfo: { authorization: string | null; dpop: string | null }[] = [];
    const { client, navigations } = testClient(idp.issuer, {
      proof: dpop({ keyStore: memoryKeyStore() }),
      fetch: async (url, init) => {
        const headers = new Headers(init?.headers);
        // A server that does not bind tokens: it never sees the proof, and answers `token_type: Bearer`.
        if (url === tokenEndpoint) headers.delete('dpop');
        if (url.endsWith('/userinfo'))
          userinfo.push({ authorization: headers.get('authorization'), dpop: headers.get('dpop') });
        return fetch(url, { ...init, headers });
      },
    });
    await login(client, navigations);
    expect(client.getSnapshot().tokenType).toBe('Bearer');
    expect(await client.getUserInfo()).toMatchObject({ sub: 'alice' });
    expect(userinfo).toEqual([{ authorization: expect.stringMatching(/^Bearer /), dpop: null }]);
    client.destroy();
  });

  it('is login_required while signed out', async () => {
    const { client } = testClient(idp.issuer);
    await expect(client.getUserInfo()).rejects.toBeInstanceOf(LoginRequiredError);
    client.destroy();
  });

  it('refuses an answer about another user, and leaves the session as it was', async () => {
    const { client, navigations, storage } = testClient(idp.issuer, {
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        if (!url.endsWith('/userinfo')) return response;
        return Response.json({ ...((await response.json()) as object), sub: 'mallory' });
      },
    });
    await login(client, navigations);
    const before = { snapshot: client.getSnapshot(), stored: await storage.get(SESSION_KEY) };
    await expect(client.getUserInfo()).rejects.toBeInstanceOf(SubjectMismatchError);
    expect(client.getSnapshot()).toBe(before.snapshot);
    expect(await storage.get(SESSION_KEY)).toBe(before.stored);
    client.destroy();
  });
});

describe('logout revokes the refresh token (RFC 7009)', () => {
  it('before leaving: the old refresh token is refused afterwards', async () => {
    const { client, navigations, storage } = testClient(idp.issuer, { useRefreshTokens: true });
    await login(client, navigations);
    const refreshToken = await storedRefreshToken(storage);
    await client.logout();
    expect(navigations.at(-1)).toContain('/oidc/logout');
    expect((await refreshWith(refreshToken)).body.error).toBe('invalid_grant');
  });

  it('also when staying on the page: once logout({ localOnly: true }) resolves, the old refresh token is refused', async () => {
    const { client, navigations, storage } = testClient(idp.issuer, { useRefreshTokens: true });
    await login(client, navigations);
    const refreshToken = await storedRefreshToken(storage);
    await client.logout({ localOnly: true });
    expect(navigations).toHaveLength(1);
    expect((await refreshWith(refreshToken)).body.error).toBe('invalid_grant');
    client.destroy();
  });

  it('not when turned off, per call or for the client', async () => {
    for (const [options, logoutOptions] of [
      [{}, { revokeRefreshToken: false }],
      [{ revokeRefreshTokenOnLogout: false }, {}],
    ] as const) {
      const { client, navigations, storage } = testClient(idp.issuer, { useRefreshTokens: true, ...options });
      await login(client, navigations);
      const refreshToken = await storedRefreshToken(storage);
      await client.logout({ localOnly: true, ...logoutOptions });
      expect((await refreshWith(refreshToken)).status).toBe(200);
    }
  });

  it('never blocks the logout when the server cannot be reached', async () => {
    const proxy = await startProxy(idp.issuer);
    const metadata = (await (await fetch(`${idp.issuer}.well-known/openid-configuration`)).json()) as Record<
      string,
      string
    >;
    const { client, navigations } = testClient(idp.issuer, {
      useRefreshTokens: true,
      endpoints: {
        authorization: metadata.authorization_endpoint!,
        token: metadata.token_endpoint!,
        endSession: metadata.end_session_endpoint!,
        revocation: `${proxy.url}/oauth/revoke`,
      },
    });
    await login(client, navigations);
    proxy.mode = 'unreachable';
    await client.logout();
    expect(client.getSnapshot().status).toBe('unauthenticated');
    expect(navigations.at(-1)).toContain('/oidc/logout');
    await proxy.close();
  });
});
