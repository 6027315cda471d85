import { describe, expect, it } from 'vitest';
import type { AuthClientOptions } from '../src/index.js';
import { OFFLINE_ISSUER, OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const noRequest = () => Promise.reject(new TypeError('no request expected'));
const REVOCATION = `${OFFLINE_ISSUER}revoke`;
const LOGOUT = `${OFFLINE_ISSUER}logout`;

/** A stored session of user `u` with a fresh access token and these refresh tokens. */
const storedSession = (refresh_tokens: Record<string, string>) => ({
  claims: {},
  refresh_tokens,
  tokens: { [OFFLINE_TOKEN_KEY]: { access_token: 'at', expires_at: OFFLINE_NOW + 300_000, scope: 'openid' } },
});

/**
 * A signed-in client at a server with revocation and logout endpoints, recording the tokens revoked there
 * and, in order, each revocation's answer and the navigation to the logout endpoint.
 */
async function revokingClient(
  refreshTokens: Record<string, string>,
  options: Partial<AuthClientOptions> = {},
) {
  const revoked: (string | null)[] = [];
  const events: string[] = [];
  const { client } = offlineClient(storedSession(refreshTokens), noRequest, {
    endpoints: {
      authorization: `${OFFLINE_ISSUER}authorize`,
      token: `${OFFLINE_ISSUER}token`,
      revocation: REVOCATION,
      endSession: LOGOUT,
    },
    fetch: async (url, init) => {
      if (url !== REVOCATION) return new Response(null, { status: 200 });
      const token = new URLSearchParams(init.body as URLSearchParams).get('token');
      revoked.push(token);
      // Answered a macrotask later: a logout that did not wait for it would have navigated by then.
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`revocation of ${token} answered`);
      return new Response(null, { status: 200 });
    },
    navigate: (url) => void events.push(`navigated to ${url}`),
    ...options,
  });
  await client.checkSession();
  return { client, revoked, events };
}

describe('logout and the refresh tokens of a stored session (RFC 7009)', () => {
  it('revokes each refresh token the session holds, and takes an empty entry for none', async () => {
    const { client, revoked } = await revokingClient({
      '': 'rt-default',
      'https://api.test': 'rt-api',
      x: '',
    });
    await client.logout();
    expect(revoked.sort()).toEqual(['rt-api', 'rt-default']);
    client.destroy();
  });

  it.each([
    ['nothing when turned off per call', {}, { revokeRefreshToken: false }, []],
    ['nothing when turned off for the client', { revokeRefreshTokenOnLogout: false }, {}, []],
    [
      'when turned off for the client but asked for by the call',
      { revokeRefreshTokenOnLogout: false },
      { revokeRefreshToken: true },
      ['rt'],
    ],
  ])(
    'revokes %s, before the logout leaves for the server',
    async (_name, options, logoutOptions, expected) => {
      const { client, revoked, events } = await revokingClient({ '': 'rt' }, options);
      await client.logout(logoutOptions);
      expect(revoked).toEqual(expected);
      expect(events).toEqual([
        ...expected.map((token) => `revocation of ${token} answered`),
        `navigated to ${LOGOUT}?client_id=app`,
      ]);
      client.destroy();
    },
  );

  it('asks the server nothing when the session holds no refresh token, not even its metadata', async () => {
    const { client, requests } = offlineClient(storedSession({}), noRequest, { endpoints: undefined });
    await client.checkSession();
    expect(client.getSnapshot().status).toBe('authenticated');
    await client.logout({ localOnly: true });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(requests).toEqual([]);
    expect(client.getSnapshot().status).toBe('unauthenticated');
    client.destroy();
  });
});
