import type { Environment, LockManagerLike } from './environment.js';

export type TabMessage = 'login' | 'logout';

export interface TabSync {
  post(message: TabMessage): void;
  /**
   * Runs `task` alone: across tabs under a Web Lock where available, else within this client. `waited` tells
   * the task that another tab held the lock first (and may have just rotated the tokens).
   */
  withLock<T>(task: (waited: boolean) => Promise<T>): Promise<T>;
  close(): void;
}

export interface TabSyncContext {
  /** One per app (issuer + client id): tabs of the same app share it. */
  name: string;
  environment: Environment;
  onMessage(message: TabMessage): void;
}

/** An opt-in module that coordinates the tabs of one app; `createAuthClient({ tabs })`. */
export type TabSyncModule = (context: TabSyncContext) => TabSync;

/**
 * Runs tasks one at a time: queued within this client, then, when `locks` is given, under the Web Lock
 * `name` across tabs. Queuing first means a lock held elsewhere is another tab's, so `waited` (another
 * tab held the lock first, and may have just rotated the tokens) is never this client's own renewal.
 */
function oneAtATime(locks: LockManagerLike | undefined, name: string): TabSync['withLock'] {
  let tail: Promise<unknown> = Promise.resolve();
  const acrossTabs = <T>(task: (waited: boolean) => Promise<T>): Promise<T> =>
    locks
      ? locks.request(name, { ifAvailable: true }, (lock) =>
          lock ? task(false) : locks.request(name, () => task(true)),
        )
      : task(false);
  return (task) => {
    const run = tail.then(() => acrossTabs(task));
    // Never rejects, so the next task runs after this one whatever its outcome.
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * The default, without a module: nothing is broadcast. Renewals run one at a time within this client, or
 * under the Web Lock `name` when `locks` is given (storage the tabs share: a rotating refresh token there
 * must never be spent by two tabs at once).
 */
export function singleTab(locks?: LockManagerLike, name = ''): TabSync {
  return { post: () => undefined, withLock: oneAtATime(locks, name), close: () => undefined };
}

/**
 * Keeps the tabs of one app in step: login/logout are broadcast (`BroadcastChannel`), and renewals run
 * under a Web Lock so two tabs never spend the same rotating refresh token. Use it with storage the tabs
 * share (`'local'`); without Web Locks, renewals are serialized within each tab only.
 */
export function crossTabSync(): TabSyncModule {
  return ({ name, environment, onMessage }) => {
    const { BroadcastChannel: Channel, locks } = environment;
    const channel = Channel ? new Channel(name) : undefined;
    if (channel) {
      channel.onmessage = ({ data }) => {
        if (data === 'login' || data === 'logout') onMessage(data);
      };
      // Server-side (SSR) runtimes have BroadcastChannel too: an open channel must not keep the process alive.
      (channel as { unref?: () => void }).unref?.();
    }
    return {
      post: (message) => channel?.postMessage(message),
      withLock: oneAtATime(locks, name),
      close: () => channel?.close(),
    };
  };
}
