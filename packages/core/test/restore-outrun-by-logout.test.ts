import { describe, expect, it } from 'vitest';
import { OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

describe('a page-load restore outrun by a logout', () => {
  it('ends signed out, not in error, and checkSession() resolves', async () => {
    let answer!: (response: Response) => void;
    const held = new Promise<Response>((resolve) => (answer = resolve));
    const { client } = offlineClient(
      {
        claims: {},
        refresh_tokens: { '': 'rt-1' },
        tokens: {
          [OFFLINE_TOKEN_KEY]: { access_token: 'old', expires_at: OFFLINE_NOW - 1, scope: 'openid' },
        },
      },
      () => held,
    );
    const statuses: string[] = [];
    client.subscribe((snapshot) => statuses.push(snapshot.status));
    const checking = client.checkSession();
    await client.logout({ localOnly: true });
    answer(
      Response.json({ access_token: 'new', token_type: 'Bearer', expires_in: 300, refresh_token: 'rt-2' }),
    );
    await expect(checking).resolves.toBeUndefined();
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: undefined });
    expect(statuses).toEqual(['checking', 'unauthenticated']);
    await expect(client.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
    client.destroy();
  });
});
