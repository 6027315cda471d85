import type { ReplayStore } from './dpop/replay-store.js';
import { failer, optionalString, optionsObject, type Fail } from './option-checks.js';

/** The part of an official `redis` (node-redis 4/5) client this store uses. */
export interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>;
  /** Whether commands go to the server now (not into the offline queue). */
  readonly isReady?: boolean;
  on?(event: 'error', listener: (err: unknown) => void): unknown;
}

/** The part of an `ioredis` client this store uses. */
export interface IoRedisLike {
  call(command: string, ...args: string[]): Promise<unknown>;
  /** The connection's state; `'ready'` when commands go to the server now. */
  readonly status?: string;
  /** Connects a client still in status `'wait'` (created with `lazyConnect: true`). */
  connect?(): Promise<unknown>;
  on?(event: 'error', listener: (err: unknown) => void): unknown;
}

export interface RedisReplayStoreOptions {
  /**
   * A connected `redis` (`createClient()`) or `ioredis` client; yours to connect and quit. An ioredis
   * client created with `lazyConnect: true` and not connected yet is connected on the first request.
   */
  client: NodeRedisLike | IoRedisLike;
  /** Prefix of every key. Default `grantflow:dpop:`. */
  prefix?: string;
}

const REDIS_STORE_OPTIONS: ReadonlySet<string> = new Set(
  Object.keys({ client: 0, prefix: 0 } satisfies Record<keyof RedisReplayStoreOptions, 0>),
);

const notConnected = () => Promise.reject(new Error('Redis client is not connected'));

/**
 * Sends one command, or none while the client is not connected: it would wait in the client's
 * offline queue and run on reconnect, long after the guard answered 503, and then the refused
 * proof's retry would be called replayed. Refused at once instead, which the guard answers 503.
 */
function commandSender(client: NodeRedisLike | IoRedisLike) {
  if ('call' in client && typeof client.call === 'function') {
    return (args: string[]) => {
      if (client.status === undefined || client.status === 'ready')
        return client.call(args[0]!, ...args.slice(1));
      // ioredis `lazyConnect` connects on the first command, which is never sent here: start the
      // connection instead (its failure shows as this 503 and the next ones; ioredis retries).
      if (client.status === 'wait') client.connect?.().catch(() => {});
      return notConnected();
    };
  }
  if ('sendCommand' in client && typeof client.sendCommand === 'function') {
    return (args: string[]) => (client.isReady === false ? notConnected() : client.sendCommand(args));
  }
  return undefined;
}

/**
 * The stores made over each client, by prefix. A request passing several `requireAuth` skips a
 * store that already accepted its proof, known by identity: the README's example written at each
 * `requireAuth` (one client, one prefix) must be one store, or the later pass would call it replayed.
 */
const storesByClient = new WeakMap<object, Map<string, ReplayStore>>();

/**
 * DPoP replay store shared by every instance through Redis: one `SET key 1 PX ttl NX` per proof,
 * atomic on the server, so two instances can never both accept the same proof.
 *
 * An `error` listener is added to the client so a lost connection cannot crash the process; the
 * middleware reports the outage itself (one log line, 503 answers) and recovers when the client
 * has reconnected. Called again with the same client and prefix, it answers the same store.
 */
export function createRedisReplayStore(options: RedisReplayStoreOptions): ReplayStore {
  const fail: Fail = failer('createRedisReplayStore()');
  const { client, prefix = 'grantflow:dpop:' } =
    optionsObject(options, undefined, REDIS_STORE_OPTIONS, fail) ?? fail('pass { client }.');
  optionalString(prefix, 'prefix', fail);
  const send = typeof client === 'object' && client !== null ? commandSender(client) : undefined;
  if (send === undefined) fail("'client' must be a redis or ioredis client.");
  let stores = storesByClient.get(client);
  if (stores === undefined) storesByClient.set(client, (stores = new Map()));
  const made = stores.get(prefix);
  if (made !== undefined) return made;
  client.on?.('error', () => {});
  const store: ReplayStore = {
    async setIfAbsent(key, ttlMs) {
      const reply = await send(['SET', prefix + key, '1', 'PX', String(Math.ceil(ttlMs)), 'NX']);
      return reply === 'OK';
    },
  };
  stores.set(prefix, store);
  return store;
}

export type { ReplayStore } from './dpop/replay-store.js';
