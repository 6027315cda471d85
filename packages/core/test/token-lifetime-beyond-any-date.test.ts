import { describe, expect, it } from 'vitest';
import { offlineClient } from './support.js';

describe('an access token whose lifetime reaches past any date', () => {
  it('is cached as good until the last date there is, not renewed on every call', async () => {
    const navigations: string[] = [];
    const { client, requests, storage } = offlineClient(
      {},
      async () => Response.json({ access_token: 'at-1', token_type: 'Bearer', expires_in: 1e308 }),
      { scope: 'read:x', navigate: (url) => void navigations.push(url) },
    );
    await client.loginWithRedirect();
    const state = new URL(navigations[0]!).searchParams.get('state')!;
    await client.handleRedirectCallback(`https://app.example/callback?code=c&state=${state}`);
    for (let call = 0; call < 3; call++) await expect(client.getAccessToken()).resolves.toBe('at-1');
    expect(requests).toHaveLength(1);
    const { tokens } = JSON.parse(storage.get('grantflow.app.session') as string) as {
      tokens: Record<string, { expires_at: number }>;
    };
    const [{ expires_at }] = Object.values(tokens) as [{ expires_at: number }];
    expect(new Date(expires_at).getTime()).toBe(8.64e15);
  });
});
