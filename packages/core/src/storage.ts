import { resolveEnvironment, type Environment } from './environment.js';
import { MissingTransactionError, StateMismatchError, StorageError } from './errors.js';

type MaybePromise<T> = T | Promise<T>;

/** Where tokens and login transactions are kept; implement it to store them elsewhere (async allowed). */
export interface StorageAdapter {
  get(key: string): MaybePromise<string | null | undefined>;
  set(key: string, value: string): MaybePromise<void>;
  remove(key: string): MaybePromise<void>;
  /** The keys stored; optional: where given, login transactions past their expiry are swept away. */
  keys?(): MaybePromise<Iterable<string>>;
}

export type StorageOption = 'memory' | 'session' | 'local' | StorageAdapter;

/**
 * The adapters `memoryStorage()` made (a page's own memory, which no other tab shares), known by identity:
 * an adapter's shape is the app's API, with no room for a marker.
 */
const ownMemory = new WeakSet<StorageAdapter>();

/** Per client instance, gone on reload: the safest place for tokens, and the default. */
export function memoryStorage(): StorageAdapter {
  const map = new Map<string, string>();
  const adapter: StorageAdapter = {
    get: (key) => map.get(key),
    set: (key, value) => void map.set(key, value),
    remove: (key) => void map.delete(key),
    keys: () => [...map.keys()],
  };
  ownMemory.add(adapter);
  return adapter;
}

/**
 * Whether the app's tabs may share the tokens in this storage: `'local'` where the page may use it, and
 * an app's own adapter (it may keep them anywhere), but not `memoryStorage()`'s.
 */
export const sharedByTabs = (
  option: StorageOption | undefined,
  environment: Pick<Environment, 'localStorage'>,
) =>
  option === 'local'
    ? environment.localStorage !== undefined
    : typeof option === 'object' && !ownMemory.has(option);

/** A `StorageAdapter` over a Web Storage (`sessionStorage`, `localStorage`), or `undefined` without one. */
export function webStorage(web: Storage | undefined): StorageAdapter | undefined {
  return (
    web && {
      get: (key) => web.getItem(key),
      set: (key, value) => web.setItem(key, value),
      remove: (key) => web.removeItem(key),
      keys: () => Array.from({ length: web.length }, (_, index) => web.key(index) ?? ''),
    }
  );
}

const failed = (operation: 'get' | 'set' | 'remove', cause: unknown) =>
  new StorageError(`storage ${operation} failed`, { cause });

/** The same adapter, whose failures (a throw or a rejection) become a `StorageError` carrying them. */
export function guardStorage(adapter: StorageAdapter): StorageAdapter {
  const guard =
    <A extends unknown[], R>(operation: 'get' | 'set' | 'remove', run: (...args: A) => MaybePromise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await run(...args);
      } catch (cause) {
        throw failed(operation, cause);
      }
    };
  return {
    get: guard('get', (key) => adapter.get(key)),
    set: guard('set', (key, value) => adapter.set(key, value)),
    remove: guard('remove', (key) => adapter.remove(key)),
  };
}

/** Resolves the `storage` option; web storages fall back to memory where absent (SSR, Node). */
export function resolveStorage(
  option: StorageOption = 'memory',
  environment: Pick<Environment, 'sessionStorage' | 'localStorage'> = resolveEnvironment(),
): StorageAdapter {
  if (typeof option === 'object') return option;
  if (option === 'memory') return memoryStorage();
  if (option === 'session') return webStorage(environment.sessionStorage) ?? memoryStorage();
  if (option === 'local') return webStorage(environment.localStorage) ?? memoryStorage();
  throw new TypeError(`unknown storage "${String(option)}"`);
}

/** What a login remembers between the redirect out and the callback. */
export interface Transaction {
  code_verifier: string;
  /** Absent for a login that asked for no ID token (no `openid`). */
  nonce?: string | undefined;
  redirect_uri: string;
  scope: string;
  audience: string | undefined;
  max_age: number | undefined;
  organization: string | undefined;
  appState: unknown;
  /** Epoch ms after which the callback is refused. */
  expires_at: number;
  /** Started by a popup sign-in: the opener completes it, never the popup's own page. */
  popup?: boolean | undefined;
}

export interface TransactionStore {
  save(state: string, transaction: Transaction): Promise<void>;
  /** Removes and returns the transaction for `state`: each one is usable once. */
  take(state: string): Promise<Transaction>;
  /** The transaction for `state`, left in place; `undefined` when there is none or it is unreadable. */
  peek(state: string): Promise<Transaction | undefined>;
  /** Removes the transaction for `state` (a sign-in that failed before its callback); never throws. */
  discard(state: string): Promise<void>;
}

const isPromise = <T>(value: MaybePromise<T>): value is Promise<T> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/** The expiry an entry holds, if it reads as a transaction. */
function expiryOf(raw: string | null | undefined): unknown {
  try {
    const entry = JSON.parse(raw!) as Transaction;
    return typeof entry.code_verifier === 'string' ? entry.expires_at : undefined;
  } catch {
    return undefined;
  }
}

/** How long an expired transaction is kept: its late callback still says `missing_transaction`. */
const SWEEP_AFTER_EXPIRY = 24 * 60 * 60_000;

/**
 * Removes the transactions under `prefix` a day past their expiry (logins abandoned at the server, say),
 * where the adapter lists its keys, so none pile up. Best effort: a failure here fails no login.
 */
async function sweep(adapter: StorageAdapter, prefix: string, now: () => number): Promise<void> {
  try {
    for (const key of (await adapter.keys?.()) ?? []) {
      if (!key.startsWith(prefix)) continue;
      const expiresAt = expiryOf(await adapter.get(key));
      if (typeof expiresAt === 'number' && expiresAt + SWEEP_AFTER_EXPIRY <= now()) {
        await adapter.remove(key);
      }
    }
  } catch {
    // the entries stay until the next login
  }
}

export function createTransactionStore(
  adapter: StorageAdapter,
  prefix: string,
  now: () => number,
): TransactionStore {
  const storage = guardStorage(adapter);
  // States being taken: a second taker in this client must not read them too.
  const taking = new Set<string>();
  /**
   * Reads and removes with no await in between when the adapter answers synchronously (the built-in ones),
   * so two clients over one storage never both get one transaction either.
   */
  async function readAndRemove(key: string): Promise<string | null | undefined> {
    if (taking.has(key)) return undefined;
    taking.add(key);
    try {
      let raw: MaybePromise<string | null | undefined>;
      try {
        raw = adapter.get(key);
        if (isPromise(raw)) raw = await raw;
      } catch (cause) {
        throw failed('get', cause);
      }
      // Removed whether or not it was there: nothing else may find it after this read.
      await storage.remove(key);
      return raw;
    } finally {
      taking.delete(key);
    }
  }
  return {
    async save(state, transaction) {
      await storage.set(prefix + state, JSON.stringify(transaction));
      await sweep(adapter, prefix, now);
    },
    // A failure leaves it to expire, and a later login's sweep.
    discard: (state) => Promise.resolve(storage.remove(prefix + state)).catch(() => undefined),
    // Never throws: an unreadable or blocked entry is no transaction.
    peek: (state) =>
      Promise.resolve()
        .then(() => storage.get(prefix + state))
        .then((raw) => (raw ? (JSON.parse(raw) as Transaction) : undefined))
        .catch(() => undefined),
    async take(state) {
      const raw = await readAndRemove(prefix + state);
      if (!raw) throw new StateMismatchError('unknown state');
      let transaction: Transaction | undefined;
      try {
        transaction = JSON.parse(raw) as Transaction;
      } catch {
        // unreadable: treated as absent below
      }
      if (!transaction || !(transaction.expires_at > now())) {
        throw new MissingTransactionError('login expired');
      }
      return transaction;
    },
  };
}
