import type { TabSyncModule } from '@grantflow/core';

/**
 * Core's renewal lock (its `tabs` extension point) over the token storage's own lock: core's token
 * manager runs every refresh inside it, after its in-process single flight, so processes sharing one
 * token file take turns and never spend the same rotating refresh token twice. Nothing is broadcast:
 * other processes read the file when they need a token.
 */
export function storageLock(withLock: <T>(task: () => Promise<T>) => Promise<T>): TabSyncModule {
  return () => ({
    post: () => undefined,
    // `false`: a file read after the lock sees the other process's write, so there is nothing to wait for.
    withLock: (task) => withLock(() => task(false)),
    close: () => undefined,
  });
}
