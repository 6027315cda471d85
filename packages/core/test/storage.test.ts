import { describe, expect, it } from 'vitest';
import { resolveEnvironment } from '../src/environment.js';
import { MissingTransactionError, StateMismatchError } from '../src/errors.js';
import {
  createTransactionStore,
  memoryStorage,
  resolveStorage,
  webStorage,
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
    Object.defineProperty(globalThis, 'sessionStorage', {
      configurable: true,
      get() {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
    try {
      expect(resolveEnvironment().sessionStorage).toBeUndefined();
    } finally {
      Reflect.deleteProperty(globalThis, 'sessionStorage');
    }
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
