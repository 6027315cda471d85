import { describe, expect, it, vi } from 'vitest';
import {
  createAuthClient,
  memoryStorage,
  popupWindow,
  silentAuthorization,
  type StorageAdapter,
} from '../src/index.js';
import { MissingTransactionError, StateMismatchError } from '../src/errors.js';
import { createTransactionStore, webStorage, type Transaction } from '../src/storage.js';
import { EVENTUALLY, manualTimers } from './support.js';

const ISSUER = 'https://idp.example/';
const NOW = 1_700_000_000_000;
const PREFIX = 'grantflow.app.tx.';
const POLL_MS = 100;
const DAY = 24 * 60 * 60_000;
/** Client `app` at a server that is never asked for metadata. */
const APP = {
  issuer: ISSUER,
  clientId: 'app',
  redirectUri: 'https://app.example/callback',
  endpoints: { authorization: `${ISSUER}authorize`, token: `${ISSUER}token` },
  navigate: () => undefined,
};

/** A storage over `entries`, which the test reads; it lists its keys unless told not to. */
function mapStorage(listsKeys = true) {
  const entries = new Map<string, string>();
  const storage: StorageAdapter = {
    get: (key) => entries.get(key),
    set: (key, value) => void entries.set(key, value),
    remove: (key) => void entries.delete(key),
    ...(listsKeys ? { keys: () => [...entries.keys()] } : {}),
  };
  return Object.assign(storage, { entries });
}
type MapStorage = ReturnType<typeof mapStorage>;

/** A Web `Storage` over `map`, with the key listing a browser's has. */
const webStorageOf = (map: Map<string, string>) =>
  ({
    get length() {
      return map.size;
    },
    key: (index: number) => [...map.keys()][index] ?? null,
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => void map.set(key, value),
    removeItem: (key: string) => void map.delete(key),
  }) as Storage;

/** The transaction entries a storage holds for client `app`, by key. */
const transactionKeys = ({ entries }: MapStorage) =>
  [...entries.keys()].filter((key) => key.startsWith(PREFIX)).sort();

/**
 * A client with the popup module over a popup the test closes, injected timers, and a clock the test moves;
 * its token endpoint never answers (no test here gets that far).
 */
function popupClient(transactionStorage: MapStorage = mapStorage()) {
  const { timers, withDelay, fire, delays } = manualTimers();
  const popup = { closed: false, location: { href: 'about:blank' }, close: () => void (popup.closed = true) };
  const clock = { now: NOW };
  const client = createAuthClient({
    ...APP,
    now: () => clock.now,
    fetch: () => new Promise<Response>(() => undefined),
    popup: popupWindow({ timeoutInSeconds: 60 }),
    transactionStorage,
    environment: {
      timers,
      window: { opener: null, open: () => popup, addEventListener() {}, removeEventListener() {} },
      location: { href: 'https://app.example/', assign: () => undefined },
      sessionStorage: undefined,
      localStorage: undefined,
    },
  });
  /** Waits until the popup is at the authorization server, then fires its timer of `ms`. */
  const fireOnceWaiting = async (ms: number) => {
    await vi.waitFor(() => expect(withDelay(ms)).toHaveLength(1), EVENTUALLY);
    fire(withDelay(ms)[0]!);
  };
  return { client, popup, clock, transactionStorage, fireOnceWaiting, delays };
}

describe('a popup sign-in that fails', () => {
  it('removes its transaction when the user closes the popup', async () => {
    const { client, popup, transactionStorage, fireOnceWaiting } = popupClient();
    const login = client.loginWithPopup();
    popup.closed = true;
    await fireOnceWaiting(POLL_MS);
    await expect(login).rejects.toMatchObject({ code: 'popup_closed' });
    expect(transactionKeys(transactionStorage)).toEqual([]);
    client.destroy();
  });

  it('removes its transaction when the popup times out, also for getAccessTokenWithPopup', async () => {
    const { client, transactionStorage, fireOnceWaiting, delays } = popupClient();
    const login = client.loginWithPopup();
    await fireOnceWaiting(60_000);
    await expect(login).rejects.toMatchObject({ code: 'timeout' });
    const token = client.getAccessTokenWithPopup({ scope: 'pay' });
    await fireOnceWaiting(60_000);
    await expect(token).rejects.toMatchObject({ code: 'timeout' });
    expect(transactionKeys(transactionStorage)).toEqual([]);
    expect(delays()).toEqual([]);
    client.destroy();
  });

  it("leaves every other login's transaction: a redirect login's and another tab's", async () => {
    const { client, popup, transactionStorage, fireOnceWaiting } = popupClient();
    const other = createAuthClient({
      ...APP,
      now: () => NOW,
      transactionStorage,
      environment: { sessionStorage: undefined, localStorage: undefined },
    });
    const state = (url: string) => new URL(url).searchParams.get('state');
    const redirect = state(await client.buildAuthorizeUrl());
    const otherTab = state(await other.buildAuthorizeUrl());
    const login = client.loginWithPopup();
    popup.closed = true;
    await fireOnceWaiting(POLL_MS);
    await expect(login).rejects.toMatchObject({ code: 'popup_closed' });
    expect(transactionKeys(transactionStorage)).toEqual([PREFIX + redirect, PREFIX + otherTab].sort());
    client.destroy();
    other.destroy();
  });

  it('still fails with its own error when the storage refuses to remove the transaction', async () => {
    const refusing = mapStorage();
    refusing.remove = () => {
      throw new Error('quota');
    };
    const { client, popup, fireOnceWaiting } = popupClient(refusing);
    const login = client.loginWithPopup();
    popup.closed = true;
    await fireOnceWaiting(POLL_MS);
    await expect(login).rejects.toMatchObject({ code: 'popup_closed' });
    client.destroy();
  });
});

describe('a silent authorization whose transport never answers', () => {
  it('fails with a timeout after `timeout` ms and removes its transaction', async () => {
    const { timers, withDelay, fire, delays } = manualTimers();
    const transactionStorage = mapStorage();
    const client = createAuthClient({
      ...APP,
      now: () => NOW,
      timeout: 2000,
      silentAuthorization: silentAuthorization(() => new Promise<string>(() => undefined)),
      transactionStorage,
      environment: { timers, sessionStorage: undefined, localStorage: undefined },
    });
    const restored = client.checkSession();
    await vi.waitFor(() => expect(withDelay(2000)).toHaveLength(1), EVENTUALLY);
    expect(transactionKeys(transactionStorage)).toHaveLength(1);
    fire(withDelay(2000)[0]!);
    await expect(restored).rejects.toMatchObject({ code: 'timeout', message: 'silent authorization' });
    expect(transactionKeys(transactionStorage)).toEqual([]);
    expect(delays()).toEqual([]);
    client.destroy();
  });
});

describe('starting a login', () => {
  it('sweeps away the transactions a day past their 30 minutes, and only those', async () => {
    const { client, clock, transactionStorage } = popupClient();
    const stale = new URL(await client.buildAuthorizeUrl()).searchParams.get('state');
    clock.now += DAY + 20 * 60_000;
    const recent = new URL(await client.buildAuthorizeUrl()).searchParams.get('state');
    // Not a transaction (another client whose ID begins with `app.tx.`, say): never touched.
    transactionStorage.set(`${PREFIX}x.session`, JSON.stringify({ expires_at: 0 }));
    transactionStorage.set(`${PREFIX}unreadable`, '{not json');
    // Nor is an entry whose expiry is no time: the sweep removes only what it knows has expired.
    transactionStorage.set(`${PREFIX}no-expiry`, JSON.stringify({ code_verifier: 'v', expires_at: null }));
    clock.now += 10 * 60_000;
    const fresh = new URL(await client.buildAuthorizeUrl()).searchParams.get('state');
    expect(transactionKeys(transactionStorage)).toEqual(
      [
        PREFIX + recent,
        PREFIX + fresh,
        `${PREFIX}x.session`,
        `${PREFIX}unreadable`,
        `${PREFIX}no-expiry`,
      ].sort(),
    );
    expect(stale).not.toBe(recent);
    client.destroy();
  });

  it.each([
    ['memory storage', () => memoryStorage()],
    ['Web Storage adapter', () => webStorage(webStorageOf(new Map()))!],
  ])('sweeps with the built-in %s too', async (_name, create) => {
    const storage = create();
    const { client, clock } = popupClient(Object.assign(storage, { entries: new Map<string, string>() }));
    const stale = new URL(await client.buildAuthorizeUrl()).searchParams.get('state');
    expect(await storage.get(PREFIX + stale)).toBeTruthy();
    clock.now += DAY + 30 * 60_000;
    const fresh = new URL(await client.buildAuthorizeUrl()).searchParams.get('state');
    expect([(await storage.get(PREFIX + stale)) ?? null, await storage.get(PREFIX + fresh)]).toEqual([
      null,
      expect.stringContaining('code_verifier'),
    ]);
    client.destroy();
  });

  it('keeps an expired transaction for a day, so its late callback still says missing_transaction', async () => {
    const storage = mapStorage();
    const clock = { now: NOW };
    const transactions = createTransactionStore(storage, PREFIX, () => clock.now);
    const login = (expires_at: number) =>
      ({ code_verifier: 'v', redirect_uri: APP.redirectUri, scope: 'openid', expires_at }) as Transaction;
    await transactions.save('late', login(NOW + 30 * 60_000));
    await transactions.save('later', login(NOW + 30 * 60_000));
    clock.now += 31 * 60_000;
    await transactions.save('retry', login(clock.now + 30 * 60_000));
    await expect(transactions.take('late')).rejects.toThrow(new MissingTransactionError('login expired'));
    clock.now += DAY;
    await transactions.save('next day', login(clock.now + 30 * 60_000));
    await expect(transactions.take('later')).rejects.toThrow(new StateMismatchError('unknown state'));
  });

  it("leaves another client's transactions in a shared storage, even a day past their expiry", async () => {
    const { client, clock, transactionStorage } = popupClient();
    const other = createAuthClient({
      ...APP,
      clientId: 'other',
      now: () => NOW,
      transactionStorage,
      environment: { sessionStorage: undefined, localStorage: undefined },
    });
    const theirs = new URL(await other.buildAuthorizeUrl()).searchParams.get('state');
    clock.now += DAY + 31 * 60_000;
    await client.buildAuthorizeUrl();
    expect(transactionStorage.entries.has(`grantflow.other.tx.${theirs}`)).toBe(true);
    client.destroy();
    other.destroy();
  });

  it('sweeps nothing, and still starts, where the storage cannot list its keys', async () => {
    const storage = mapStorage(false);
    const { client, clock } = popupClient(storage);
    await client.buildAuthorizeUrl();
    // Past the time a sweep would remove the first one.
    clock.now += DAY + 31 * 60_000;
    await expect(client.buildAuthorizeUrl()).resolves.toContain(`${ISSUER}authorize?`);
    expect(transactionKeys(storage)).toHaveLength(2);
    client.destroy();
  });
});
