import { StorageError } from './errors.js';

/**
 * Where a client's DPoP key pair lives. The private key is created non-extractable: it can sign, and
 * be stored (browsers keep a `CryptoKey` in IndexedDB as is), but never be read out, not even by this
 * page's own scripts.
 */
export interface DpopKeyStore {
  get(name: string): Promise<CryptoKeyPair | undefined>;
  /** Stores the pair unless one is stored under `name` already (then the first one stays: two tabs agree). */
  add(name: string, keyPair: CryptoKeyPair): Promise<void>;
  delete(name: string): Promise<void>;
}

/** Key pairs in memory: for Node, tests, and browsers without IndexedDB (the key lasts as long as the page). */
export function memoryKeyStore(): DpopKeyStore {
  const keys = new Map<string, CryptoKeyPair>();
  return {
    get: async (name) => keys.get(name),
    add: async (name, keyPair) => {
      if (!keys.has(name)) keys.set(name, keyPair);
    },
    delete: async (name) => {
      keys.delete(name);
    },
  };
}

const STORE = 'keys';

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** A throw of `indexedDB.open` itself (IndexedDB disabled) rejects too. */
function openDatabase(indexedDB: IDBFactory, database: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(database, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** A store refused (IndexedDB disabled, private mode, quota, blocked): the package's typed error, the store's its cause. */
async function guarded<T>(operation: string, run: () => Promise<T>, store = 'DPoP key store '): Promise<T> {
  try {
    return await run();
  } catch (cause) {
    throw cause instanceof StorageError ? cause : new StorageError(`${store}${operation} failed`, { cause });
  }
}

type KeyParts = Partial<Pick<CryptoKey, 'usages' | 'extractable'> & { algorithm: Partial<EcKeyAlgorithm> }>;
const isP256 = (key: KeyParts | undefined) => key?.algorithm?.namedCurve === 'P-256';

/**
 * What a proof needs of a pair (ES256, RFC 7518 §3.4): a P-256 key that signs (only an ECDSA private key
 * can), and a P-256 key to export the public JWK of.
 */
function isKeyPair(pair: unknown): boolean {
  const { privateKey, publicKey } = Object(pair) as Record<string, KeyParts | undefined>;
  return (
    isP256(privateKey) &&
    !!privateKey!.usages?.includes('sign') &&
    isP256(publicKey) &&
    !!publicKey!.extractable
  );
}

/**
 * The client's `keyStore`: its failures, and a pair it gives that cannot sign a proof, are `StorageError`s
 * naming it (not WebCrypto's error at the first signature), before the request is sent.
 */
export function checkedKeyStore(store: DpopKeyStore): DpopKeyStore {
  const call = <T>(operation: keyof DpopKeyStore, run: () => Promise<T>) =>
    guarded(operation, run, 'dpop(): keyStore.');
  return {
    get: (name) =>
      call('get', async () => {
        const pair = await store.get(name);
        if (pair != null && !isKeyPair(pair)) {
          throw new StorageError('dpop(): keyStore.get gave no ES256 key pair');
        }
        return pair;
      }),
    add: (name, keyPair) => call('add', () => store.add(name, keyPair)),
    delete: (name) => call('delete', () => store.delete(name)),
  };
}

/**
 * Key pairs in IndexedDB, so a key (and the tokens bound to it) survives a reload. The `CryptoKey`
 * objects are stored themselves (structured clone), which keeps the private key non-extractable.
 * Failures are `StorageError`s (`storage_error`) carrying IndexedDB's error as `cause`.
 */
export function indexedDbKeyStore(indexedDB: IDBFactory, database = 'grantflow-dpop'): DpopKeyStore {
  let opened: Promise<IDBDatabase> | undefined;
  // A failed open is tried again by the next operation.
  const open = () =>
    (opened ??= openDatabase(indexedDB, database).catch((error: unknown) => {
      opened = undefined;
      throw error;
    }));
  async function run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest<T>) {
    const db = await open();
    return done(action(db.transaction(STORE, mode).objectStore(STORE)));
  }
  return {
    get: (name) =>
      guarded('get', () => run('readonly', (store) => store.get(name) as IDBRequest<CryptoKeyPair>)),
    add: (name, keyPair) =>
      guarded('add', async () => {
        try {
          await run('readwrite', (store) => store.add(keyPair, name));
        } catch (err) {
          // Another tab stored its key first: that one is used.
          if ((err as DOMException).name !== 'ConstraintError') throw err;
        }
      }),
    delete: (name) =>
      guarded('delete', async () => {
        await run('readwrite', (store) => store.delete(name));
      }),
  };
}
