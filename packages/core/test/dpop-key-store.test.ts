import { describe, expect, it } from 'vitest';
import { indexedDbKeyStore } from '../src/dpop.js';

type Callback = (() => void) | null;
interface FakeRequest {
  result: unknown;
  error: DOMException | null;
  onsuccess: Callback;
  onerror: Callback;
  onupgradeneeded: Callback;
}

/**
 * IndexedDB as far as the key store uses it (Node has none): databases of object stores, requests that
 * answer on a later task, `ConstraintError` for an `add` under a taken key, and failures on demand.
 */
function fakeIndexedDB() {
  const databases = new Map<string, Map<string, Map<IDBValidKey, unknown>>>();
  const opened: [string, number | undefined][] = [];
  const fail: { open?: DOMException; write?: DOMException } = {};
  const request = (run: (request: FakeRequest) => unknown): FakeRequest => {
    const answer: FakeRequest = {
      result: undefined,
      error: null,
      onsuccess: null,
      onerror: null,
      onupgradeneeded: null,
    };
    setTimeout(() => {
      try {
        answer.result = run(answer);
      } catch (error) {
        answer.error = error as DOMException;
        return answer.onerror?.();
      }
      answer.onsuccess?.();
    });
    return answer;
  };
  const objectStore = (records: Map<IDBValidKey, unknown>, mode: IDBTransactionMode) => {
    const write = (change: () => void) =>
      request(() => {
        if (mode !== 'readwrite') throw new DOMException('read-only transaction', 'ReadOnlyError');
        const failure = fail.write;
        delete fail.write;
        if (failure) throw failure;
        change();
      });
    return {
      get: (key: IDBValidKey) => request(() => records.get(key)),
      add: (value: unknown, key: IDBValidKey) =>
        write(() => {
          if (records.has(key)) throw new DOMException('key exists', 'ConstraintError');
          records.set(key, value);
        }),
      delete: (key: IDBValidKey) => write(() => void records.delete(key)),
    };
  };
  const factory = {
    open(name: string, version?: number) {
      opened.push([name, version]);
      return request((answer) => {
        const failure = fail.open;
        delete fail.open;
        if (failure) throw failure;
        const stores = databases.get(name) ?? new Map<string, Map<IDBValidKey, unknown>>();
        const database = {
          createObjectStore: (store: string) => void stores.set(store, new Map()),
          transaction(store: string, mode: IDBTransactionMode) {
            if (!['readonly', 'readwrite'].includes(mode)) throw new TypeError(`bad mode ${mode}`);
            const records = stores.get(store);
            if (!records) throw new DOMException(`no object store ${store}`, 'NotFoundError');
            return { objectStore: () => objectStore(records, mode) };
          },
        };
        if (!databases.has(name)) {
          databases.set(name, stores);
          answer.result = database;
          answer.onupgradeneeded?.();
        }
        return database;
      });
    },
  };
  return { indexedDB: factory as unknown as IDBFactory, opened, fail };
}

const keyPair = (label: string) => ({ label }) as unknown as CryptoKeyPair;

describe('indexedDbKeyStore', () => {
  it('keeps a key pair under its name across page loads, in the database grantflow-dpop', async () => {
    const { indexedDB, opened } = fakeIndexedDB();
    const pair = keyPair('a');
    await expect(indexedDbKeyStore(indexedDB).get('client-a')).resolves.toBeUndefined();
    await indexedDbKeyStore(indexedDB).add('client-a', pair);
    await expect(indexedDbKeyStore(indexedDB).get('client-a')).resolves.toBe(pair);
    await expect(indexedDbKeyStore(indexedDB).get('client-b')).resolves.toBeUndefined();
    expect(opened).toEqual(Array.from({ length: 4 }, () => ['grantflow-dpop', 1]));
  });

  it('opens its database once for all its operations, under the name given', async () => {
    const { indexedDB, opened } = fakeIndexedDB();
    const store = indexedDbKeyStore(indexedDB, 'app-keys');
    await store.add('k', keyPair('a'));
    await store.get('k');
    await store.delete('k');
    expect(opened).toEqual([['app-keys', 1]]);
  });

  it('keeps the pair another tab stored first', async () => {
    const { indexedDB } = fakeIndexedDB();
    const first = keyPair('first');
    await indexedDbKeyStore(indexedDB).add('k', first);
    await expect(indexedDbKeyStore(indexedDB).add('k', keyPair('second'))).resolves.toBeUndefined();
    await expect(indexedDbKeyStore(indexedDB).get('k')).resolves.toBe(first);
  });

  it('deletes a pair', async () => {
    const { indexedDB } = fakeIndexedDB();
    const store = indexedDbKeyStore(indexedDB);
    await store.add('k', keyPair('a'));
    await store.delete('k');
    await expect(store.get('k')).resolves.toBeUndefined();
  });

  it('passes on any other failure to store or delete', async () => {
    const { indexedDB, fail } = fakeIndexedDB();
    const store = indexedDbKeyStore(indexedDB);
    const full = new DOMException('disk full', 'QuotaExceededError');
    fail.write = full;
    await expect(store.add('k', keyPair('a'))).rejects.toBe(full);
    const gone = new DOMException('gone', 'UnknownError');
    fail.write = gone;
    await expect(store.delete('k')).rejects.toBe(gone);
  });

  it('opens again after a failed open', async () => {
    const { indexedDB, opened, fail } = fakeIndexedDB();
    const store = indexedDbKeyStore(indexedDB);
    const blocked = new DOMException('blocked', 'InvalidStateError');
    fail.open = blocked;
    await expect(store.get('k')).rejects.toBe(blocked);
    const pair = keyPair('a');
    await store.add('k', pair);
    await expect(store.get('k')).resolves.toBe(pair);
    expect(opened).toHaveLength(2);
  });
});
