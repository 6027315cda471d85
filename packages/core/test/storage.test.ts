import { describe, expect, it } from 'vitest';
import { resolveEnvironment } from '../src/environment.js';
import { MissingTransactionError, StateMismatchError, StorageError } from '../src/errors.js';
import {
  createTransactionStore,
  guardStorage,
  memoryStorage,
  resolveStorage,
  webStorage,
  type StorageAdapter,
  type Transaction,
} from '../src/storage.js';

const transaction = (expires_at: number): Transaction => ({
  code_verifier: 'v'.repeat(43),
  nonce: 'n',
  redirect_uri: 'https://app.example/cb',
  scope: 'openid',
  audience: undefined,
  max_age: undefined,
  organization: undefined,
  appState: { to: '/x' },
  expires_at,
});

/** A Storage stand-in: the real Web Storage API is not in Node. */
function fakeWebStorage(): Storage {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
    clear: () => map.clear(),
    key: (index) => [...map.keys()][index] ?? null,
    get length() {
      return map.size;
    },
  };
}

describe('memoryStorage', () => {
  it('keeps values per instance', () => {
    const one = memoryStorage();
    const two = memoryStorage();
    one.set('k', 'v');
    expect(one.get('k')).toBe('v');
    expect(two.get('k')).toBeUndefined();
    one.remove('k');
    expect(one.get('k')).toBeUndefined();
  });
});

describe('webStorage and resolveStorage', () => {
  it('are undefined / memory where the environment has no Web Storage', () => {
    expect(webStorage(undefined)).toBeUndefined();
    const fallback = resolveStorage('local', { sessionStorage: undefined, localStorage: undefined });
    fallback.set('k', 'v');
    expect(fallback.get('k')).toBe('v');
  });

  it("use the environment's sessionStorage and localStorage: set, get and remove", () => {
    const session = fakeWebStorage();
    const local = fakeWebStorage();
    const environment = { sessionStorage: session, localStorage: local };
    const inSession = resolveStorage('session', environment);
    const inLocal = resolveStorage('local', environment);
    inSession.set('a', '1');
    inLocal.set('b', '2');
    expect(session.getItem('a')).toBe('1');
    expect(local.getItem('b')).toBe('2');
    expect(session.getItem('b')).toBeNull();
    local.setItem('c', '3');
    expect(inLocal.get('c')).toBe('3');
    expect(inSession.get('a')).toBe('1');
    expect(inSession.get('missing')).toBeNull();
    inSession.remove('a');
    expect(session.getItem('a')).toBeNull();
    expect(inSession.get('a')).toBeNull();
  });

  it('default to none where reading the storage throws (blocked storage)', () => {
    const blocked = {
      get sessionStorage(): Storage {
        throw new DOMException('blocked', 'SecurityError');
      },
    };
    expect(resolveEnvironment({}, blocked).sessionStorage).toBeUndefined();
  });

  it('pass a custom adapter through and refuse unknown names', () => {
    const adapter = memoryStorage();
    expect(resolveStorage(adapter)).toBe(adapter);
    expect(() => resolveStorage('cookie' as never)).toThrow(TypeError);
  });
});

describe('transactions', () => {
  it('are returned once, keyed by state', async () => {
    let now = 1000;
    const store = createTransactionStore(memoryStorage(), 'tx.', () => now);
    await store.save('s1', transaction(5000));
    await store.save('s2', transaction(5000));
    await expect(store.take('s1')).resolves.toMatchObject({ appState: { to: '/x' } });
    await expect(store.take('s1')).rejects.toBeInstanceOf(StateMismatchError);
    now = 2000;
    await expect(store.take('s2')).resolves.toBeDefined();
    await expect(store.take('unknown')).rejects.toMatchObject({ code: 'state_mismatch' });
  });

  it.each([
    ['a synchronous adapter', () => memoryStorage()],
    [
      'an asynchronous adapter',
      (): StorageAdapter => {
        const map = memoryStorage();
        return {
          get: async (key) => map.get(key),
          set: async (key, value) => map.set(key, value),
          remove: async (key) => map.remove(key),
        };
      },
    ],
  ])('go to only one of two takers at once, over %s', async (_, adapter) => {
    const store = createTransactionStore(adapter(), 'tx.', () => 0);
    await store.save('s1', transaction(5000));
    const takes = await Promise.allSettled([store.take('s1'), store.take('s1')]);
    expect(takes.map((take) => take.status)).toEqual(['fulfilled', 'rejected']);
    expect((takes[1] as PromiseRejectedResult).reason).toBeInstanceOf(StateMismatchError);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('disk gone');
      },
    ],
    ['rejects', () => Promise.reject(new Error('disk gone'))],
  ])(
    'report storage whose read %s as a StorageError with its cause, and free the state for a retry',
    async (_, get) => {
      const map = memoryStorage();
      let failing = true;
      const store = createTransactionStore(
        { ...map, get: (key) => (failing ? get() : map.get(key)) },
        'tx.',
        () => 0,
      );
      await store.save('s1', transaction(5000));
      const attempt = store.take('s1');
      await expect(attempt).rejects.toBeInstanceOf(StorageError);
      await expect(attempt).rejects.toMatchObject({
        message: 'storage get failed',
        cause: new Error('disk gone'),
      });
      failing = false;
      await expect(store.take('s1')).resolves.toMatchObject({ appState: { to: '/x' } });
    },
  );

  it('expire: a late callback gets missing_transaction and the entry is gone', async () => {
    let now = 1000;
    const storage = memoryStorage();
    const store = createTransactionStore(storage, 'tx.', () => now);
    await store.save('s', transaction(2000));
    now = 2000;
    await expect(store.take('s')).rejects.toBeInstanceOf(MissingTransactionError);
    expect(storage.get('tx.s')).toBeUndefined();
  });

  it('treat an unreadable entry as missing', async () => {
    const storage = memoryStorage();
    storage.set('tx.s', '{not json');
    await expect(createTransactionStore(storage, 'tx.', () => 0).take('s')).rejects.toBeInstanceOf(
      MissingTransactionError,
    );
  });
});

describe('guardStorage', () => {
  const operations = ['get', 'set', 'remove'] as const;
  const call = (adapter: StorageAdapter, operation: (typeof operations)[number]) =>
    operation === 'set' ? adapter.set('k', 'v') : adapter[operation]('k');

  it.each(operations)(
    'names a failed %s in the StorageError, with what was thrown as its cause',
    async (operation) => {
      const cause = new Error('disk gone');
      const thrower = {
        ...memoryStorage(),
        [operation]: () => {
          throw cause;
        },
      };
      const rejecter = { ...memoryStorage(), [operation]: () => Promise.reject(cause) };
      for (const failing of [thrower, rejecter]) {
        const attempt = call(guardStorage(failing), operation);
        await expect(attempt).rejects.toBeInstanceOf(StorageError);
        await expect(attempt).rejects.toMatchObject({ message: `storage ${operation} failed`, cause });
      }
    },
  );

  it('passes values and keys through unchanged', async () => {
    const inner = memoryStorage();
    const guarded = guardStorage(inner);
    await guarded.set('k', 'v');
    expect(inner.get('k')).toBe('v');
    await expect(guarded.get('k')).resolves.toBe('v');
    await guarded.remove('k');
    expect(inner.get('k')).toBeUndefined();
  });
});

describe('peeking at a transaction', () => {
  it('returns it under its prefixed key and leaves it in place for the callback', async () => {
    const storage = memoryStorage();
    const store = createTransactionStore(storage, 'tx.', () => 1000);
    await store.save('s', transaction(5000));
    expect(JSON.parse((await storage.get('tx.s'))!)).toMatchObject({ nonce: 'n' });
    await expect(store.peek('s')).resolves.toEqual(transaction(5000));
    await expect(store.take('s')).resolves.toEqual(transaction(5000));
    await expect(store.peek('s')).resolves.toBeUndefined();
  });

  it('finds nothing for an unknown state, an unreadable entry or a failing storage', async () => {
    const storage = memoryStorage();
    storage.set('tx.bad', '{not json');
    await expect(createTransactionStore(storage, 'tx.', () => 0).peek('unknown')).resolves.toBeUndefined();
    await expect(createTransactionStore(storage, 'tx.', () => 0).peek('bad')).resolves.toBeUndefined();
    const failing = { ...storage, get: () => Promise.reject(new Error('blocked')) };
    await expect(createTransactionStore(failing, 'tx.', () => 0).peek('bad')).resolves.toBeUndefined();
  });
});
