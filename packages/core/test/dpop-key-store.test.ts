import { describe, expect, it } from 'vitest';
import { indexedDbKeyStore } from '../src/dpop.js';
import { StorageError } from '../src/index.js';
import { fakeIndexedDB } from './fake-indexeddb.js';

const keyPair = (label: string) => ({ label }) as unknown as CryptoKeyPair;

/** Rejects with the package's typed storage error naming the operation, IndexedDB's own as its cause. */
async function expectStorageError(operation: Promise<unknown>, name: string, cause: DOMException) {
  const error: unknown = await operation.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(StorageError);
  expect(error).toMatchObject({ code: 'storage_error', message: `DPoP key store ${name} failed` });
  expect((error as StorageError).cause).toBe(cause);
}

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

  it('finds the pairs an earlier release stored (object store keys of database grantflow-dpop, version 1)', async () => {
    const { indexedDB, databases } = fakeIndexedDB();
    const pair = keyPair('stored before');
    databases.set('grantflow-dpop', new Map([['keys', new Map([['client-a', pair]])]]));
    const store = indexedDbKeyStore(indexedDB);
    await expect(store.get('client-a')).resolves.toBe(pair);
    await store.add('client-a', keyPair('new'));
    await expect(store.get('client-a')).resolves.toBe(pair);
    await store.delete('client-a');
    expect(databases.get('grantflow-dpop')).toEqual(new Map([['keys', new Map()]]));
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

  it('fails a store or delete as a StorageError carrying what IndexedDB said', async () => {
    const { indexedDB, fail } = fakeIndexedDB();
    const store = indexedDbKeyStore(indexedDB);
    const full = new DOMException('disk full', 'QuotaExceededError');
    fail.write = full;
    await expectStorageError(store.add('k', keyPair('a')), 'add', full);
    const gone = new DOMException('gone', 'UnknownError');
    fail.write = gone;
    await expectStorageError(store.delete('k'), 'delete', gone);
    const unreadable = new DOMException('unreadable', 'UnknownError');
    fail.read = unreadable;
    await expectStorageError(store.get('k'), 'get', unreadable);
  });

  it('fails as a StorageError where IndexedDB cannot be opened, and opens again next time', async () => {
    const { indexedDB, opened, fail } = fakeIndexedDB();
    const store = indexedDbKeyStore(indexedDB);
    const blocked = new DOMException('blocked', 'InvalidStateError');
    fail.open = blocked;
    await expectStorageError(store.get('k'), 'get', blocked);
    // Disabled IndexedDB (a private window, a sandboxed frame): open() throws instead of failing later.
    const disabled = new DOMException('The operation is insecure.', 'SecurityError');
    fail.openThrows = disabled;
    await expectStorageError(store.add('k', keyPair('a')), 'add', disabled);
    const pair = keyPair('a');
    await store.add('k', pair);
    await expect(store.get('k')).resolves.toBe(pair);
    expect(opened).toHaveLength(3);
  });
});
