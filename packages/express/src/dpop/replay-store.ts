import { hash } from 'node:crypto';
import { failer, integer, optionalFunction, optionsObject, type Fail } from '../option-checks.js';

/**
 * Where accepted DPoP proofs are remembered until they expire. One atomic operation, so that two
 * instances (or two concurrent requests) can never both accept the same proof: implementations
 * must set-if-absent in one step on their server (Redis `SET key 1 PX ttl NX`), never read then write.
 */
export interface ReplayStore {
  /**
   * Stores `key` (`<jkt>:<jti>`: the proof key's thumbprint and the proof's `jti` as they came) for
   * `ttlMs` milliseconds if it is not stored yet. Answers `true` when it was stored by this call,
   * `false` when it was already there, directly or through a promise. Throws or rejects when the
   * store cannot answer: the request is then refused with 503 (fail closed).
   */
  setIfAbsent(key: string, ttlMs: number): boolean | Promise<boolean>;
}

export interface MemoryReplayStoreOptions {
  /** Most keys held at once; past it, new proofs are refused with 503 until some expire. Default 1,000,000. */
  max?: number;
  /** Epoch milliseconds. */
  now?: () => number;
}

/** The in-memory store, whose answer is always a promise. */
export interface MemoryReplayStore extends ReplayStore {
  setIfAbsent(key: string, ttlMs: number): Promise<boolean>;
}

/**
 * A key's first 128 bits of SHA-256, as a 16-character one-byte string: a `jti` may be 256
 * characters, and a million kept whole would hold hundreds of MB. Two keys sharing a digest (never
 * seen at 128 bits) could only make a fresh proof look replayed, never a replayed one fresh.
 */
const digest = (key: string): string => hash('sha256', key, 'buffer').toString('latin1', 0, 16);

const MEMORY_STORE_OPTIONS: ReadonlySet<string> = new Set(
  Object.keys({ max: 0, now: 0 } satisfies Record<keyof MemoryReplayStoreOptions, 0>),
);

/**
 * A replay store in this process's memory: enough for one instance. Several instances behind a
 * load balancer need a shared one (`createRedisReplayStore` from `@grantflow/express/redis`).
 */
export function createMemoryReplayStore(options?: MemoryReplayStoreOptions): MemoryReplayStore {
  const fail: Fail = failer('createMemoryReplayStore()');
  const given = optionsObject(options, undefined, MEMORY_STORE_OPTIONS, fail);
  // A `max` that is not a number would never be reached: the map would grow without bound.
  const max = integer(given?.max, 1_000_000, 'max', fail);
  const now = optionalFunction(given?.now, 'now', fail) ?? Date.now;
  const expiries = new Map<string, number>();
  let nextSweep = 0;

  // Expired keys are dropped in one pass at most once a second, so a lookup stays O(1). Full in
  // between, only the oldest expired ones go: keys expire about in the order they came (one window),
  // and a pass over the whole map per request would cost O(max) until it drains.
  function sweep(at: number): void {
    if (at >= nextSweep) {
      nextSweep = at + 1000;
      for (const [key, expiresAt] of expiries) if (expiresAt <= at) expiries.delete(key);
      return;
    }
    if (expiries.size < max) return;
    for (const [key, expiresAt] of expiries) {
      if (expiresAt > at) return;
      expiries.delete(key);
    }
  }

  return {
    setIfAbsent(name, ttlMs) {
      const at = now();
      sweep(at);
      const key = digest(name);
      const expiresAt = expiries.get(key);
      if (expiresAt !== undefined && expiresAt > at) return Promise.resolve(false);
      if (expiresAt === undefined && expiries.size >= max) {
        return Promise.reject(new Error('memory replay store is full'));
      }
      // Re-added at the end, so the map stays about in order of expiry for the sweep above.
      expiries.delete(key);
      expiries.set(key, at + ttlMs);
      return Promise.resolve(true);
    },
  };
}
