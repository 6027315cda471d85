import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkArgument, checkOptions, DELAY, FUNCTION, MILLISECONDS, TEXT } from './checks.js';
import { TokenStorageError } from './errors.js';

export interface FileLockOptions {
  /** Milliseconds after which a lock left by a crashed process is taken over. */
  staleAfter?: number;
  /** Milliseconds to wait for another process before giving up. */
  waitFor?: number;
  pollEvery?: number;
}

const OPTIONS = { staleAfter: MILLISECONDS, waitFor: MILLISECONDS, pollEvery: DELAY };

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cannotLock = (path: string, cause: unknown) => new TokenStorageError(`cannot lock ${path}`, { cause });

/** Ignores a file that is gone already; any other failure to remove it is the lock's. */
const unlessGone = (path: string) => (error: unknown) => {
  if (code(error) !== 'ENOENT') throw cannotLock(path, error);
};

/** Milliseconds since the file was written, or `undefined` when there is none. */
const ageOf = (path: string) =>
  stat(path).then(
    (s) => Date.now() - s.mtimeMs,
    () => undefined,
  );

/**
 * Creates the lock file; false when it exists already. `wx` makes this the atomic test-and-set. A
 * missing directory is made once: a path still missing after that (`''`, whose directory `.` exists)
 * is a failure, not a reason to try again.
 */
async function create(path: string, makeDirectory = true): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    if (code(error) !== 'ENOENT' || !makeDirectory) throw cannotLock(path, error);
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 }).catch((cause: unknown) => {
    throw cannotLock(path, cause);
  });
  return create(path, false);
}

/**
 * Removes a stale lock, one waiter at a time (under `<path>.break`), and only if it is stale still:
 * several waiters judge the same lock stale, and the first to take over makes a fresh one that the
 * others must not remove. False when another waiter is doing it.
 */
async function takeOver(path: string, staleAfter: number): Promise<boolean> {
  const breaker = `${path}.break`;
  if (!(await create(breaker))) {
    // Held for a moment only: one this old was left by a waiter that died while taking over.
    if (((await ageOf(breaker)) ?? 0) > staleAfter) await unlink(breaker).catch(() => undefined);
    return false;
  }
  try {
    // A lock that cannot be removed (a directory, another user's file) would be stale forever.
    if (((await ageOf(path)) ?? 0) > staleAfter) await unlink(path).catch(unlessGone(path));
    return true;
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

async function acquire(path: string, { staleAfter, waitFor, pollEvery }: Required<FileLockOptions>) {
  const started = Date.now();
  while (!(await create(path))) {
    const stale = ((await ageOf(path)) ?? 0) > staleAfter;
    // Taken over: one more try at once; lost to another waiter, the deadline still holds.
    if (stale && (await takeOver(path, staleAfter)) && (await create(path))) return;
    if (Date.now() - started > waitFor) throw new TokenStorageError(`${path} is held by another process`);
    await sleep(pollEvery);
  }
}

/**
 * Runs `task` while holding a lock file, so processes sharing one token file never spend the same
 * rotating refresh token twice (the server would then revoke the whole grant).
 */
export async function withFileLock<T>(
  path: string,
  task: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  checkArgument(path, 'path', TEXT);
  checkArgument(task, 'task', FUNCTION);
  checkOptions(options, OPTIONS);
  const { staleAfter = 30_000, waitFor = 60_000, pollEvery = 50 } = options;
  await acquire(path, { staleAfter, waitFor, pollEvery });
  try {
    return await task();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
