import { readFileSync, readlinkSync } from 'node:fs';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { checkArgument, checkOptions, DELAY, FUNCTION, MILLISECONDS, TEXT } from './checks.js';
import { TokenStorageError } from './errors.js';

export interface FileLockOptions {
  /** Milliseconds after which a lock left by a crashed process is taken over. */
  staleAfter?: number;
  /** Milliseconds to wait for another process before giving up. */
  waitFor?: number;
  pollEvery?: number;
  /**
   * Called once when another process has held the lock for a second, with its process id when the lock
   * file names one: a command-line app can say what it is waiting for.
   */
  onWait?: ((pid: number | undefined) => void) | undefined;
}

const OPTIONS = { staleAfter: MILLISECONDS, waitFor: MILLISECONDS, pollEvery: DELAY, onWait: FUNCTION };
const NOTICE_AFTER = 1000;

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

/** A /proc entry's text, or '' where there is none (macOS, Windows, a container without /proc). */
const procEntry = (read: () => string) => {
  try {
    return read().trim();
  } catch {
    return '';
  }
};

// Read once: they do not change while the process runs, and a waiter reads them at every poll.
let pidSpace: string[] | undefined;

/**
 * Where this process's pids are the ones `process.kill` sees: host name, pid namespace and boot. One
 * host name does not make one pid space: another namespace (unshare, a container sharing the host's
 * name and this directory) or another machine of the same name (a shared home) has pids of its own.
 * Without /proc (macOS, Windows) both are '': the host name alone has to do. The host name is read each
 * time: it may change while a process runs (macOS renames a host on a name clash).
 */
const place = () => [
  hostname(),
  ...(pidSpace ??= [
    procEntry(() => readlinkSync('/proc/self/ns/pid')),
    procEntry(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')),
  ]),
];

/** The holder a lock file names: its process id, and whether that pid is one this process can check. */
async function holderOf(path: string): Promise<{ pid: number; here: boolean } | undefined> {
  // Empty while its creator is still writing it; missing once released.
  const [pid = '', ...lines] = (await readFile(path, 'utf8').catch(() => '')).split('\n');
  // A lock written without the namespace and boot (an older grantflow) is not known to be here.
  const here = place().every((line, index) => (lines[index] ?? '') === line);
  return /^[1-9]\d{0,9}$/.test(pid) ? { pid: Number(pid), here } : undefined;
}

/** Whether no process `pid` runs in this pid space: ESRCH. EPERM is one that runs, as another user. */
function notRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return code(error) === 'ESRCH';
  }
}

/**
 * Whether the lock was left behind: by a process of this pid space that is gone (Ctrl-C, kill -9, a
 * crash), or, by one it cannot check (another host, namespace or boot), taken over `staleAfter` ago.
 */
async function abandoned(path: string, staleAfter: number) {
  if (((await ageOf(path)) ?? 0) > staleAfter) return { abandoned: true, pid: undefined };
  const holder = await holderOf(path);
  return { abandoned: holder?.here === true && notRunning(holder.pid), pid: holder?.pid };
}

/**
 * Creates the lock file; false when it exists already. `wx` makes this the atomic test-and-set. A
 * missing directory is made once: a path still missing after that (`''`, whose directory `.` exists)
 * is a failure, not a reason to try again.
 */
async function create(path: string, makeDirectory = true): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    await handle.writeFile([process.pid, ...place()].map((line) => `${line}\n`).join(''));
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
 * Removes an abandoned lock, one waiter at a time (under `<path>.break`), and only if it is abandoned
 * still: several waiters judge the same lock abandoned, and the first to take over makes a fresh one
 * (its live holder named in it) that the others must not remove. False when another waiter is doing it.
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
    if ((await abandoned(path, staleAfter)).abandoned) await unlink(path).catch(unlessGone(path));
    return true;
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

async function acquire(path: string, options: Required<Omit<FileLockOptions, 'onWait'>> & FileLockOptions) {
  const { staleAfter, waitFor, pollEvery, onWait } = options;
  const started = Date.now();
  let told = false;
  while (!(await create(path))) {
    const left = await abandoned(path, staleAfter);
    // Taken over: one more try at once; lost to another waiter, the deadline still holds.
    if (left.abandoned && (await takeOver(path, staleAfter)) && (await create(path))) return;
    const waited = Date.now() - started;
    if (waited > waitFor) throw new TokenStorageError(`${path} is held by another process`);
    if (!told && waited >= NOTICE_AFTER) {
      told = true;
      onWait?.(left.pid);
    }
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
  const { staleAfter = 30_000, waitFor = 60_000, pollEvery = 50, onWait } = options;
  await acquire(path, { staleAfter, waitFor, pollEvery, onWait });
  try {
    return await task();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
