import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StorageAdapter } from '@grantflow/core';
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
 * Keeps every key in one JSON file, readable by its owner only (mode 0600, in a 0700 directory). Each
 * read goes to the disk, so a token another process refreshed is seen at once; each write replaces
 * the file atomically (a temporary file renamed over it), so a reader never sees half a file.
 */
export function fileTokenStorage(path: string = defaultTokenFile()): FileTokenStorage {
  async function load(): Promise<Entries> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (code(error) === 'ENOENT') return {};
      throw new TokenStorageError(`cannot read ${path}`, { cause: error });
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
        await unlink(path).catch((error: unknown) => {
          if (code(error) !== 'ENOENT') throw error;
        });
        return;
      }
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      await rename(temporary, path);
    } catch (error) {
      throw new TokenStorageError(`cannot write ${path}`, { cause: error });
    }
  }

  return {
    path,
    get: async (key) => (await load())[key],
    async set(key, value) {
      await save({ ...(await load()), [key]: value });
    },
    async remove(key) {
      const entries = await load();
      if (!(key in entries)) return;
      delete entries[key];
      await save(entries);
    },
    withLock: (task) => withFileLock(`${path}.lock`, task),
  };
}
