import { describe, expect, it } from 'vitest';
import { OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

describe("logout through Auth0's /v2/logout (the domain shorthand)", () => {
  it('navigates there, built from the issuer alone, and ends the session, while the server cannot be reached', async () => {
    const navigations: string[] = [];
    const { client, requests, storage } = offlineClient(
      {
        claims: {},
        refresh_tokens: { '': 'rt' },
        tokens: { [OFFLINE_TOKEN_KEY]: { access_token: 'at', expires_at: OFFLINE_NOW + 300_000 } },
      },
      () => Promise.reject(new TypeError('Failed to fetch')),
      {
        issuer: undefined,
        domain: 'idp.example',
        endpoints: undefined,
        navigate: (url) => void navigations.push(url),
      },
    );
    await client.checkSession();
    expect(client.getSnapshot().status).toBe('authenticated');

    await client.logout({ returnTo: 'https://app.example/' });
    expect(navigations).toHaveLength(1);
    const url = new URL(navigations[0]!);
    expect(`${url.origin}${url.pathname}`).toBe('https://idp.example/v2/logout');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'app',
      returnTo: 'https://app.example/',
    });
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', isAuthenticated: false });
    expect(await storage.get('grantflow.app.session')).toBeUndefined();
    // Only the revocation looked for the server's metadata (and found none); the logout URL needed none.
    expect(requests).toEqual(['https://idp.example/.well-known/openid-configuration']);
    client.destroy();
  });
});
