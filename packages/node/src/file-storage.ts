import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StorageAdapter } from '@grantflow/core';
import { BOOLEAN, checkArgument, checkOptions, FUNCTION, TEXT } from './checks.js';
import { defaultTokenFile } from './config-dir.js';
import { TokenStorageError } from './errors.js';
import { withFileLock } from './file-lock.js';

/** Core's key-value storage, plus an optional lock that spans every process sharing the storage. */
export interface TokenStorage extends StorageAdapter {
  /** Runs `task` alone among all users of this storage; refreshes run under it. */
  withLock?<T>(task: () => Promise<T>): Promise<T>;
}

export interface FileTokenStorage extends TokenStorage {
  readonly path: string;
  withLock<T>(task: () => Promise<T>): Promise<T>;
}

type Entries = Record<string, string>;

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * The token file's directory, only its owner let in. mkdir's mode applies only to a directory it creates:
 * a directory that is ours (`own`), found open to others, is tightened when it is this user's (on
 * Windows modes mean nothing). Any other directory is the app's choice (a home, a project, `/tmp`).
 */
async function privateDirectory(dir: string, own: boolean): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!own) return;
  const { mode, uid } = await stat(dir);
  if ((mode & 0o077) !== 0 && uid === process.getuid?.()) await chmod(dir, 0o700);
}

export interface FileTokenStorageOptions {
  /**
   * The file's directory is the library's own, so an existing one open to others is tightened to 0700.
   * Default: `true` for the default path (`<config dir>/grantflow/`), `false` for a path you give.
   */
  ownDirectory?: boolean | undefined;
  /**
   * Called once when another process has held one of the file's locks for a second, with its process id
   * when known (`withFileLock`'s `onWait`): nothing is printed otherwise.
   */
  onLockWait?: ((pid: number | undefined) => void) | undefined;
}

/**
 * Keeps every key in one JSON file, readable by its owner only (mode 0600, in a 0700 directory). Each
 * read goes to the disk, so a token another process refreshed is seen at once; each write replaces
 * the file atomically (a temporary file renamed over it), so a reader never sees half a file, and reads
 * and replaces it holding `<path>.write.lock`, so writers in several processes never drop each other's
 * keys. That lock is its own: a refresh holds `<path>.lock` while it writes.
 */
export function fileTokenStorage(path?: string, options: FileTokenStorageOptions = {}): FileTokenStorage {
  // A number would be read as a file descriptor.
  if (path !== undefined) checkArgument(path, 'path', TEXT);
  checkOptions(options, { ownDirectory: BOOLEAN, onLockWait: FUNCTION });
  const { ownDirectory = path === undefined, onLockWait } = options;
  const file = path ?? defaultTokenFile();
  async function load(): Promise<Entries> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (code(error) === 'ENOENT') return {};
      throw new TokenStorageError(`cannot read ${file}`, { cause: error });
    }
    try {
      const entries: unknown = JSON.parse(text);
      if (typeof entries === 'object' && entries !== null && !Array.isArray(entries))
        return entries as Entries;
    } catch {
      // not JSON: nothing usable, and the next write replaces it
    }
    return {};
  }

  async function save(entries: Entries): Promise<void> {
    try {
      if (Object.keys(entries).length === 0) {
        await unlink(file).catch((error: unknown) => {
          if (code(error) !== 'ENOENT') throw error;
        });
        return;
      }
      await privateDirectory(dirname(file), ownDirectory);
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      await rename(temporary, file);
    } catch (error) {
      throw new TokenStorageError(`cannot write ${file}`, { cause: error });
    }
  }

  const saveIfChanged = (entries: Entries | undefined) => (entries ? save(entries) : undefined);
  const locks = { onWait: onLockWait };
  const update = (change: (entries: Entries) => Entries | undefined) =>
    withFileLock(`${file}.write.lock`, () => load().then((entries) => saveIfChanged(change(entries))), locks);

  return {
    path: file,
    get: async (key) => (await load())[key],
    set: (key, value) => update((entries) => ({ ...entries, [key]: value })),
    remove: (key) =>
      update((entries) => {
        if (!(key in entries)) return undefined;
        delete entries[key];
        return entries;
      }),
    withLock: (task) => withFileLock(`${file}.lock`, task, locks),
  };
}
