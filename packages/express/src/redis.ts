import type { ReplayStore } from './dpop/replay-store.js';

/** The part of an official `redis` (node-redis 4/5) client this store uses. */
export interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>;
  on?(event: 'error', listener: (err: unknown) => void): unknown;
}

/** The part of an `ioredis` client this store uses. */
export interface IoRedisLike {
  call(command: string, ...args: string[]): Promise<unknown>;
  on?(event: 'error', listener: (err: unknown) => void): unknown;
}

export interface RedisReplayStoreOptions {
  /** A connected `redis` (`createClient()`) or `ioredis` client; yours to connect and quit. */
  client: NodeRedisLike | IoRedisLike;
  /** Prefix of every key. Default `grantflow:dpop:`. */
  prefix?: string;
}

/**
 * DPoP replay store shared by every instance through Redis: one `SET key 1 PX ttl NX` per proof,
 * atomic on the server, so two instances can never both accept the same proof.
 *
 * An `error` listener is added to the client so a lost connection cannot crash the process; the
 * middleware reports the outage itself (one log line, 503 answers) and recovers when the client
 * has reconnected.
 */
export function createRedisReplayStore({
  client,
  prefix = 'grantflow:dpop:',
}: RedisReplayStoreOptions): ReplayStore {
  if (typeof client !== 'object' || client === null) {
    throw new TypeError('@grantflow/express createRedisReplayStore(): pass a redis or ioredis client.');
  }
  const send =
    'call' in client && typeof client.call === 'function'
      ? (args: string[]) => client.call(args[0]!, ...args.slice(1))
      : 'sendCommand' in client && typeof client.sendCommand === 'function'
        ? (args: string[]) => client.sendCommand(args)
        : undefined;
  if (send === undefined) {
    throw new TypeError('@grantflow/express createRedisReplayStore(): pass a redis or ioredis client.');
  }
  client.on?.('error', () => {});
  return {
    async setIfAbsent(key, ttlMs) {
      const reply = await send(['SET', prefix + key, '1', 'PX', String(Math.ceil(ttlMs)), 'NX']);
      return reply === 'OK';
    },
  };
}

export type { ReplayStore } from './dpop/replay-store.js';
