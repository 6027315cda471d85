type Callback = (() => void) | null;
interface FakeRequest {
  result: unknown;
  error: DOMException | null;
  onsuccess: Callback;
  onerror: Callback;
  onupgradeneeded: Callback;
}

/** Object stores by name, each of records by key. */
export type FakeDatabase = Map<string, Map<IDBValidKey, unknown>>;
interface Failures {
  open?: DOMException;
  /** Thrown by `open()` itself, as browsers do where IndexedDB is disabled. */
  openThrows?: DOMException;
  read?: DOMException;
  write?: DOMException;
}

/** A request that answers on a later task, as IndexedDB's do. */
function request(run: (request: FakeRequest) => unknown): FakeRequest {
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
}

function objectStore(records: Map<IDBValidKey, unknown>, mode: IDBTransactionMode, fail: Failures) {
  const write = (change: () => void) =>
    request(() => {
      if (mode !== 'readwrite') throw new DOMException('read-only transaction', 'ReadOnlyError');
      const failure = fail.write;
      delete fail.write;
      if (failure) throw failure;
      change();
    });
  return {
    get: (key: IDBValidKey) =>
      request(() => {
        const failure = fail.read;
        delete fail.read;
        if (failure) throw failure;
        return records.get(key);
      }),
    add: (value: unknown, key: IDBValidKey) =>
      write(() => {
        if (records.has(key)) throw new DOMException('key exists', 'ConstraintError');
        records.set(key, value);
      }),
    delete: (key: IDBValidKey) => write(() => void records.delete(key)),
  };
}

function connection(stores: FakeDatabase, fail: Failures) {
  return {
    createObjectStore: (store: string) => void stores.set(store, new Map()),
    transaction(store: string, mode: IDBTransactionMode) {
      if (!['readonly', 'readwrite'].includes(mode)) throw new TypeError(`bad mode ${mode}`);
      const records = stores.get(store);
      if (!records) throw new DOMException(`no object store ${store}`, 'NotFoundError');
      return { objectStore: () => objectStore(records, mode, fail) };
    },
  };
}

/**
 * IndexedDB as far as the key store uses it (Node has none): databases of object stores (`databases`,
 * to look into or to fill as an earlier page load left them), `ConstraintError` for an `add` under a
 * taken key, and failures on demand.
 */
export function fakeIndexedDB() {
  const databases = new Map<string, FakeDatabase>();
  const opened: [string, number | undefined][] = [];
  const fail: Failures = {};
  const factory = {
    open(name: string, version?: number) {
      opened.push([name, version]);
      const thrown = fail.openThrows;
      delete fail.openThrows;
      if (thrown) throw thrown;
      return request((answer) => {
        const failure = fail.open;
        delete fail.open;
        if (failure) throw failure;
        const stores: FakeDatabase = databases.get(name) ?? new Map();
        const database = connection(stores, fail);
        if (!databases.has(name)) {
          databases.set(name, stores);
          answer.result = database;
          answer.onupgradeneeded?.();
        }
        return database;
      });
    },
  };
  return { indexedDB: factory as unknown as IDBFactory, databases, opened, fail };
}
