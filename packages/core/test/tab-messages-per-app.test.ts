import { describe, expect, it, vi } from 'vitest';
import { crossTabSync } from '../src/index.js';
import { EVENTUALLY, OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const noRequest = () => Promise.reject(new TypeError('no request expected'));

/** A tab signed in to app `clientId`, with the cross-tab module and this process's BroadcastChannel. */
async function signedInTab(clientId: string) {
  const { client } = offlineClient(
    {
      claims: { aud: clientId },
      tokens: {
        [OFFLINE_TOKEN_KEY]: { access_token: 'at', expires_at: OFFLINE_NOW + 300_000, scope: 'openid' },
      },
    },
    noRequest,
    { clientId, tabs: crossTabSync(), environment: { BroadcastChannel, locks: undefined } },
  );
  await client.checkSession();
  expect(client.getSnapshot().status).toBe('authenticated');
  return client;
}

describe('a logout broadcast to the other tabs', () => {
  it("reaches the same app's tabs only, not another app's on the same origin", async () => {
    const [leaving, sameApp, otherApp] = await Promise.all([
      signedInTab('app'),
      signedInTab('app'),
      signedInTab('other-app'),
    ]);
    await leaving.logout({ localOnly: true });
    await vi.waitFor(() => expect(sameApp.getSnapshot().status).toBe('unauthenticated'), EVENTUALLY);
    // Whatever the channel delivered to one tab it has delivered to every tab listening by now.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(otherApp.getSnapshot().status).toBe('authenticated');
    for (const tab of [leaving, sameApp, otherApp]) tab.destroy();
  });
});
