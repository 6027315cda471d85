import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DevIdp } from '@grantflow/dev-idp';
import type { AuthClientOptions } from '../src/index.js';
import { memoryStorage, type StorageAdapter } from '../src/storage.js';
import { crossTabSync } from '../src/tab-sync.js';
import {
  EVENTUALLY,
  fakeLockManager,
  laggingSharedStorage,
  login,
  startIdp,
  testClient,
  webStorageOver,
} from './support.js';

type Tab = ReturnType<typeof testClient>;

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp();
});
afterAll(() => idp.close());

/**
 * Two tabs of one app, each a client over its view of the storage (with the tabs module, unless
 * `options` for a view say otherwise); both end with the test.
 */
async function withTwoTabs(
  [firstStorage, secondStorage]: readonly [StorageAdapter, StorageAdapter],
  options: Partial<AuthClientOptions> | ((view: StorageAdapter) => Partial<AuthClientOptions>),
  test: (first: Tab, second: Tab) => Promise<void>,
) {
  const tab = (storage: StorageAdapter) =>
    testClient(idp.issuer, {
      useRefreshTokens: true,
      storage,
      tabs: crossTabSync(),
      ...(typeof options === 'function' ? options(storage) : options),
    });
  const first = tab(firstStorage);
  const second = tab(secondStorage);
  try {
    await test(first, second);
  } finally {
    first.client.destroy();
    second.client.destroy();
  }
}

/**
 * Both tabs signed in (the second restored from the storage it sees late), then both renew at once:
 * each rotating refresh token must be spent once, and both tabs stay signed in without an error.
 */
async function renewTogether(first: Tab, second: Tab): Promise<string[]> {
  await login(first.client, first.navigations);
  await new Promise((resolve) => setTimeout(resolve, 150));
  await second.client.checkSession();
  expect(second.client.getSnapshot().status).toBe('authenticated');

  const tokens = await Promise.all([
    first.client.getAccessToken({ cacheMode: 'off' }),
    second.client.getAccessToken({ cacheMode: 'off' }),
  ]);
  const spent = [...first.tokenRequests, ...second.tokenRequests]
    .map((request) => request.params.get('refresh_token'))
    .filter((token) => token !== null);
  expect(spent).toHaveLength(2);
  expect(new Set(spent).size).toBe(2);
  for (const { client } of [first, second]) {
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
  }
  return tokens;
}

describe('two tabs of one app sharing storage', () => {
  it('follow each other: a login is picked up, a logout ends the other tab too', async () => {
    const shared = memoryStorage();
    await withTwoTabs([shared, shared], {}, async (first, second) => {
      await login(first.client, first.navigations);
      await vi.waitFor(() => expect(second.client.getSnapshot().status).toBe('authenticated'), EVENTUALLY);
      expect(second.client.getSnapshot().user?.email).toBe('alice@example.com');

      await first.client.logout({ localOnly: true });
      await vi.waitFor(() => expect(second.client.getSnapshot().status).toBe('unauthenticated'), EVENTUALLY);
      expect(second.client.getSnapshot().user).toBeUndefined();
    });
  });

  it('follow a login as someone else in the other tab: the signed-in tab shows the new user', async () => {
    const shared = memoryStorage();
    await withTwoTabs([shared, shared], {}, async (first, second) => {
      await login(first.client, first.navigations);
      await vi.waitFor(
        () => expect(second.client.getSnapshot().user?.email).toBe('alice@example.com'),
        EVENTUALLY,
      );
      await login(
        second.client,
        second.navigations,
        {},
        { email: 'bob@example.com', password: 'bob-password' },
      );
      expect(second.client.getSnapshot().user?.email).toBe('bob@example.com');
      await vi.waitFor(
        () => expect(first.client.getSnapshot().user?.email).toBe('bob@example.com'),
        EVENTUALLY,
      );
      expect(first.client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
    });
  });

  it('end together when one tab finds the refresh token revoked', async () => {
    const shared = memoryStorage();
    await withTwoTabs([shared, shared], {}, async (first, second) => {
      await login(first.client, first.navigations);
      await vi.waitFor(() => expect(second.client.getSnapshot().status).toBe('authenticated'), EVENTUALLY);
      const { revocation_endpoint } = (await (
        await fetch(`${idp.issuer}/.well-known/openid-configuration`)
      ).json()) as { revocation_endpoint: string };
      const stored = JSON.parse((await shared.get('grantflow.grantflow-demo.session'))!) as {
        refresh_tokens: Record<string, string>;
      };
      await fetch(revocation_endpoint, {
        method: 'POST',
        body: new URLSearchParams({
          token: stored.refresh_tokens['https://api.grantflow.local/appointments']!,
          client_id: 'grantflow-demo',
        }),
      });

      first.expireTokens();
      await expect(first.client.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
      await vi.waitFor(() => expect(second.client.getSnapshot().status).toBe('unauthenticated'), EVENTUALLY);
    });
  });

  describe('under a Web Lock, with storage that reaches the other tab late', () => {
    it('spend each rotating refresh token once when both renew at the same moment', async () => {
      const environment = { locks: fakeLockManager(), BroadcastChannel: undefined };
      await withTwoTabs(laggingSharedStorage(100), { environment }, async (first, second) => {
        const tokens = await renewTogether(first, second);
        expect(new Set(tokens).size).toBe(2);
      });
    });

    it("follow a token the other tab renewed into their own snapshot's expiry", async () => {
      await withTwoTabs(
        laggingSharedStorage(0),
        { environment: { BroadcastChannel: undefined } },
        async (first, second) => {
          await login(first.client, first.navigations);
          await new Promise((resolve) => setTimeout(resolve, 20));
          await second.client.checkSession();
          const before = second.client.getSnapshot().accessTokenExpiresAt;
          await new Promise((resolve) => setTimeout(resolve, 1100)); // a later `exp` (whole seconds)

          await first.client.getAccessToken({ cacheMode: 'off' });
          await new Promise((resolve) => setTimeout(resolve, 20));
          const renewed = await second.client.getAccessToken();

          expect(second.tokenRequests.filter((r) => r.params.get('grant_type') === 'refresh_token')).toEqual(
            [],
          );
          expect(second.client.getSnapshot().accessTokenExpiresAt).toBe(
            first.client.getSnapshot().accessTokenExpiresAt,
          );
          expect(second.client.getSnapshot().accessTokenExpiresAt).toBeGreaterThan(before!);
          expect(renewed).toBe(await first.client.getAccessToken());
        },
      );
    });
  });

  it("with storage: 'local' and no tabs module, still spend each rotating refresh token once", async () => {
    const locks = fakeLockManager();
    // Each tab's `localStorage`: one storage, seen by the other tab 100 ms late.
    const localOnly = (view: StorageAdapter) => ({
      storage: 'local' as const,
      tabs: undefined,
      transactionStorage: memoryStorage(),
      environment: { locks, BroadcastChannel: undefined, localStorage: webStorageOver(view) },
    });
    await withTwoTabs(laggingSharedStorage(100), localOnly, async (first, second) => {
      await renewTogether(first, second);
    });
  });
});
