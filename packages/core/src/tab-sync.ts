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

/**
 * Keeps tabs of one app in step: login/logout are broadcast, and refreshes run under `navigator.locks`
 * so two tabs never spend the same rotating refresh token.
 */
export function createTabSync(
  name: string,
  onMessage: (message: TabMessage) => void,
  broadcast = true,
): TabSync {
  const channel =
    broadcast && typeof globalThis.BroadcastChannel === 'function' ? new BroadcastChannel(name) : undefined;
  if (channel) {
    channel.onmessage = ({ data }: MessageEvent) => {
      if (data === 'login' || data === 'logout') onMessage(data);
    };
    // Server-side (SSR) runtimes have BroadcastChannel too: an open channel must not keep the process alive.
    (channel as { unref?: () => void }).unref?.();
  }
  const locks = globalThis.navigator?.locks;
  let tail: Promise<unknown> = Promise.resolve();
  return {
    post: (message) => channel?.postMessage(message),
    withLock(task) {
      if (locks) {
        return locks.request(name, { ifAvailable: true }, (lock) =>
          lock ? task(false) : locks.request(name, () => task(true)),
        );
      }
      // Within one client the storage is never stale, so there is nothing to wait for.
      const run = tail.then(
        () => task(false),
        () => task(false),
      );
      tail = run.catch(() => undefined);
      return run;
    },
    close: () => channel?.close(),
  };
}
