import { describe, expect, it } from 'vitest';
import { offlineClient, offlineIdToken } from './support.js';

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

describe('a callback whose login asked for no ID token (no `openid`)', () => {
  it('ends signed out with the access token cached, not stuck in exchanging', async () => {
    const navigations: string[] = [];
    const { client } = offlineClient(
      {},
      async () => json({ access_token: 'at-1', token_type: 'Bearer', expires_in: 600, scope: 'read:x' }),
      { scope: 'read:x', navigate: (url) => void navigations.push(url) },
    );
    await client.loginWithRedirect();
    const state = new URL(navigations[0]!).searchParams.get('state')!;
    await client.handleRedirectCallback(`https://app.example/callback?code=c&state=${state}`);
    expect(client.getSnapshot()).toMatchObject({
      status: 'unauthenticated',
      isLoading: false,
      error: undefined,
    });
    await expect(client.getAccessToken()).resolves.toBe('at-1');
  });

  it('signs nobody in with an ID token the server adds anyway: no nonce bound it to this login', async () => {
    const navigations: string[] = [];
    const { client, storage } = offlineClient(
      {},
      async () =>
        json({ access_token: 'at-1', token_type: 'Bearer', expires_in: 600, id_token: offlineIdToken({}) }),
      { scope: 'read:x', navigate: (url) => void navigations.push(url) },
    );
    await client.loginWithRedirect();
    const state = new URL(navigations[0]!).searchParams.get('state')!;
    await client.handleRedirectCallback(`https://app.example/callback?code=c&state=${state}`);
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', user: undefined });
    expect(JSON.parse(storage.get('grantflow.app.session') as string)).not.toHaveProperty('claims');
    await expect(client.getAccessToken()).resolves.toBe('at-1');
  });
});
