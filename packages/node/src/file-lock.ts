import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TokenStorageError } from './errors.js';

export interface FileLockOptions {
  /** Milliseconds after which a lock left by a crashed process is taken over. */
  staleAfter?: number;
  /** Milliseconds to wait for another process before giving up. */
  waitFor?: number;
  pollEvery?: number;
}

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function acquire(path: string, { staleAfter, waitFor, pollEvery }: Required<FileLockOptions>) {
  const started = Date.now();
  for (;;) {
    try {
      // `wx` fails when the file exists: creating it is the atomic test-and-set.
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (error) {
      const cannotLock = (cause: unknown) => new TokenStorageError(`cannot lock ${path}`, { cause });
      if (code(error) === 'ENOENT') {
        await mkdir(dirname(path), { recursive: true, mode: 0o700 }).catch((cause: unknown) => {
          throw cannotLock(cause);
        });
        continue;
      }
      if (code(error) !== 'EEXIST') throw cannotLock(error);
    }
    const held = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (held > staleAfter) await unlink(path).catch(() => undefined);
    else if (Date.now() - started > waitFor)
      throw new TokenStorageError(`${path} is held by another process`);
    else await sleep(pollEvery);
  }
}

/**
 * Runs `task` while holding a lock file, so processes sharing one token file never spend the same
 * rotating refresh token twice (the server would then revoke the whole grant).
 */
export async function withFileLock<T>(
  path: string,
  task: () => Promise<T>,
  { staleAfter = 30_000, waitFor = 60_000, pollEvery = 50 }: FileLockOptions = {},
): Promise<T> {
  await acquire(path, { staleAfter, waitFor, pollEvery });
  try {
    return await task();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
