import { chmod, mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultTokenFile,
  fileTokenStorage,
  TokenStorageError,
  userConfigDir,
  withFileLock,
} from '../src/index.js';
import { tempDirs } from './support.js';

const tempDir = tempDirs();

describe('userConfigDir', () => {
  it('follows XDG on Linux: an absolute $XDG_CONFIG_HOME, else ~/.config', () => {
    expect(userConfigDir('linux', { XDG_CONFIG_HOME: '/x/config' }, '/home/u')).toBe('/x/config');
    expect(userConfigDir('linux', {}, '/home/u')).toBe('/home/u/.config');
    // The XDG spec: a relative path is invalid and ignored.
    expect(userConfigDir('linux', { XDG_CONFIG_HOME: 'relative' }, '/home/u')).toBe('/home/u/.config');
    expect(userConfigDir('freebsd', {}, '/home/u')).toBe('/home/u/.config');
  });

  it('uses Application Support on macOS and %APPDATA% on Windows', () => {
    expect(userConfigDir('darwin', { XDG_CONFIG_HOME: '/x' }, '/Users/u')).toBe(
      '/Users/u/Library/Application Support',
    );
    expect(userConfigDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u')).toBe(
      'C:\\Users\\u\\AppData\\Roaming',
    );
  });

  it('keeps tokens in grantflow/tokens.json there', () => {
    expect(defaultTokenFile('/x/config')).toBe('/x/config/grantflow/tokens.json');
  });
});

describe('fileTokenStorage', () => {
  it('keeps values in one file readable by its owner only, in a directory only the owner can enter', async () => {
    const path = join(await tempDir(), 'nested', 'grantflow', 'tokens.json');
    const storage = fileTokenStorage(path);
    expect(await storage.get('a')).toBeUndefined();
    await storage.set('a', 'one');
    await storage.set('b', 'two');
    expect(await storage.get('a')).toBe('one');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(path, '..'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ a: 'one', b: 'two' });
  });

  it('tightens its own directory, found open to others, to 0700 on the next write; not the one above', async () => {
    const config = join(await tempDir(), 'config');
    const dir = join(config, 'grantflow');
    await mkdir(dir, { recursive: true });
    await Promise.all([chmod(config, 0o755), chmod(dir, 0o755)]);
    await fileTokenStorage(join(dir, 'tokens.json'), { ownDirectory: true }).set('a', 'one');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(config)).mode & 0o777).toBe(0o755);
  });

  it('leaves a directory the app chose as it is, even one named grantflow: only its own is tightened', async () => {
    const dir = join(await tempDir(), 'grantflow');
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o755);
    await fileTokenStorage(join(dir, 'tokens.json')).set('a', 'one');
    expect((await stat(dir)).mode & 0o777).toBe(0o755);
    expect((await stat(join(dir, 'tokens.json'))).mode & 0o777).toBe(0o600);
  });

  it('tightens a file that was readable by others on the next write, and leaves no temporary file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'tokens.json');
    await writeFile(path, '{"a":"old"}', { mode: 0o644 });
    await fileTokenStorage(path).set('a', 'new');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['tokens.json']);
  });

  it('removes keys, and the file with the last one', async () => {
    const path = join(await tempDir(), 'tokens.json');
    const storage = fileTokenStorage(path);
    await storage.set('a', 'one');
    await storage.set('b', 'two');
    await storage.remove('a');
    expect(await storage.get('a')).toBeUndefined();
    expect(await storage.get('b')).toBe('two');
    await storage.remove('b');
    await storage.remove('never-there');
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reads a file that is not ours as empty, and replaces it on the next write', async () => {
    const path = join(await tempDir(), 'tokens.json');
    await writeFile(path, 'not json');
    const storage = fileTokenStorage(path);
    expect(await storage.get('a')).toBeUndefined();
    await storage.set('a', 'one');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ a: 'one' });
  });

  it('keeps every key when two storages on one file (two processes) write at the same time', async () => {
    const path = join(await tempDir(), 'tokens.json');
    const [first, second] = [fileTokenStorage(path), fileTokenStorage(path)];
    const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`);
    await Promise.all(keys.map((key, i) => (i % 2 ? first : second).set(key, key)));
    expect(Object.keys(JSON.parse(await readFile(path, 'utf8'))).sort()).toEqual([...keys].sort());

    await Promise.all(keys.slice(0, 6).map((key, i) => (i % 2 ? first : second).remove(key)));
    expect(Object.keys(JSON.parse(await readFile(path, 'utf8'))).sort()).toEqual(keys.slice(6).sort());
    expect(await readdir(join(path, '..'))).toEqual(['tokens.json']);
  });

  it('throws TokenStorageError when the file cannot be read or written', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'tokens.json'));
    const storage = fileTokenStorage(join(dir, 'tokens.json'));
    await expect(storage.get('a')).rejects.toBeInstanceOf(TokenStorageError);
    await writeFile(join(dir, 'a-file'), '');
    const blocked = fileTokenStorage(join(dir, 'a-file', 'tokens.json'));
    await expect(blocked.set('a', 'one')).rejects.toMatchObject({ code: 'token_storage' });
  });
});

describe('withFileLock', () => {
  it('runs tasks on the same lock one at a time', async () => {
    const lock = join(await tempDir(), 'tokens.json.lock');
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 30));
      running--;
    };
    await Promise.all([withFileLock(lock, task), withFileLock(lock, task), withFileLock(lock, task)]);
    expect(most).toBe(1);
    await expect(stat(lock)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('releases the lock when the task fails', async () => {
    const lock = join(await tempDir(), 'tokens.json.lock');
    await expect(withFileLock(lock, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withFileLock(lock, async () => 'next')).toBe('next');
  });

  it('takes over a lock left behind by a crashed process', async () => {
    const lock = join(await tempDir(), 'tokens.json.lock');
    await writeFile(lock, '99999');
    expect(await withFileLock(lock, async () => 'ran', { staleAfter: 0 })).toBe('ran');
  });

  it('fails with TokenStorageError on a stale lock it cannot remove, instead of taking it over for ever', async () => {
    // A directory where the lock file goes: stale, and no unlink removes it.
    const lock = join(await tempDir(), 'tokens.json.lock');
    await mkdir(lock);
    const past = new Date(Date.now() - 120_000);
    await utimes(lock, past, past);
    await expect(withFileLock(lock, async () => 'ran', { waitFor: 100 })).rejects.toMatchObject({
      code: 'token_storage',
      message: `cannot lock ${lock}`,
      cause: { code: expect.stringMatching(/^E/) },
    });
  });

  it('gives up with TokenStorageError while another process holds the lock', async () => {
    const lock = join(await tempDir(), 'tokens.json.lock');
    await writeFile(lock, '12345');
    await expect(
      withFileLock(lock, async () => 'ran', { waitFor: 100, pollEvery: 10 }),
    ).rejects.toBeInstanceOf(TokenStorageError);
  });
});
