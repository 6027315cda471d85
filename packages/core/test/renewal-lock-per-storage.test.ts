import { describe, expect, it } from 'vitest';
import { webStorage, type StorageOption } from '../src/storage.js';
import type { LockManagerLike } from '../src/environment.js';
import { fakeLockManager, manualTimers, OFFLINE_ISSUER, offlineClient, webStorageOver } from './support.js';

const SESSION_KEY = 'grantflow.app.session';
/** The Web Lock the tabs of this app (issuer + client ID) renew under. */
const LOCK = `grantflow:${OFFLINE_ISSUER}:app`;

const tokenResponse = () =>
  Response.json({ access_token: 'fresh', token_type: 'Bearer', expires_in: 300, scope: 'openid' });

/**
 * A tab with a stored refresh token in `storage`, Web Locks (no tabs module), and another tab of the
 * same app holding the renewal lock until `release()`.
 */
async function tabWhileAnotherRenews(storage: StorageOption) {
  const locks = fakeLockManager();
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  void locks.request(LOCK, () => held);
  const [sessionStorage, localStorage] = [webStorageOver(), webStorageOver()];
  const tab = offlineClient({ claims: {}, refresh_tokens: { '': 'rt' } }, async () => tokenResponse(), {
    useRefreshTokens: true,
    // Memory: the adapter `offlineClient` filled, as this tab's own memory would be.
    ...(storage === 'memory' ? {} : { storage }),
    environment: { locks, sessionStorage, localStorage },
  });
  // The session a page load finds, in whichever storage the tab was given.
  const stored = (await tab.storage.get(SESSION_KEY))!;
  for (const web of [sessionStorage, localStorage]) web.setItem(SESSION_KEY, stored);
  if (typeof storage === 'object') await storage.set(SESSION_KEY, stored);
  return { ...tab, release };
}

const elapse = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a renewal and the Web Lock of the other tabs', () => {
  it.each<StorageOption>(['memory', 'session'])(
    "with this tab's own storage (%s) takes no lock: another tab's renewal holds it up in nothing",
    async (storage) => {
      const { client, requests, release } = await tabWhileAnotherRenews(storage);
      const token = client.getAccessToken();
      // Asked while the other tab's renewal still holds the lock.
      await expect.poll(() => requests).toEqual([`${OFFLINE_ISSUER}token`]);
      await expect(token).resolves.toBe('fresh');
      release();
      client.destroy();
    },
  );

  it.each<[string, () => StorageOption]>([
    ["'local'", () => 'local'],
    ["an adapter of the app's own", () => webStorage(webStorageOver())!],
  ])(
    "with storage the tabs may share (%s) waits for the other tab's renewal, then renews",
    async (_name, storage) => {
      const { client, requests, release } = await tabWhileAnotherRenews(storage());
      const token = client.getAccessToken();
      await elapse(20);
      expect(requests).toEqual([]);
      release();
      await expect(token).resolves.toBe('fresh');
      expect(requests).toEqual([`${OFFLINE_ISSUER}token`]);
      client.destroy();
    },
  );

  it("with 'local' storage the page may not use (a cross-site frame) keeps the session its own: no lock", async () => {
    // Where a browser blocks a frame's storage, it denies its Web Locks too (Chromium: SecurityError).
    const denied = () => Promise.reject(new DOMException('The request was denied.', 'SecurityError'));
    const { client } = offlineClient({}, async () => tokenResponse(), {
      storage: 'local',
      environment: { locks: { request: denied } as LockManagerLike, localStorage: undefined },
    });
    await client.checkSession();
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: undefined });
    client.destroy();
  });

  it("with 'local' storage, this tab's own renewals in a row are not taken for another tab's", async () => {
    const clock = manualTimers();
    const localStorage = webStorageOver();
    const tab = offlineClient(
      { claims: {}, refresh_tokens: { '': 'rt', 'https://other.example': 'rt-other' } },
      async () => tokenResponse(),
      {
        useRefreshTokens: true,
        environment: { locks: fakeLockManager(), localStorage, timers: clock.timers },
      },
    );
    localStorage.setItem(SESSION_KEY, (await tab.storage.get(SESSION_KEY))!);
    const { client, requests } = offlineClient({}, async () => tokenResponse(), {
      useRefreshTokens: true,
      storage: 'local',
      environment: { locks: fakeLockManager(), localStorage, timers: clock.timers },
    });
    tab.client.destroy();
    const both = Promise.all([
      client.getAccessToken({ cacheMode: 'off' }),
      client.getAccessToken({ audience: 'https://other.example', cacheMode: 'off' }),
    ]);
    // Waiting for another tab's rotation would poll storage on 30 ms timers, which never fire here.
    await Promise.race([both, elapse(200)]);
    expect(clock.withDelay(30)).toEqual([]);
    await expect(both).resolves.toEqual(['fresh', 'fresh']);
    expect(requests).toEqual([`${OFFLINE_ISSUER}token`, `${OFFLINE_ISSUER}token`]);
    client.destroy();
  });
});
