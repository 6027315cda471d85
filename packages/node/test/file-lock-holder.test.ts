import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { withFileLock } from '../src/index.js';
import { startProcess } from './cli-process.js';
import { lockOf, tempDirs } from './support.js';

const tempDir = tempDirs();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DIST = join(import.meta.dirname, '..', 'dist', 'index.js');

/** Another Node process that takes the lock and holds it until killed; resolves once it holds it. */
async function holderProcess(lock: string) {
  const script = `import(${JSON.stringify(DIST)}).then(({ withFileLock }) =>
    withFileLock(${JSON.stringify(lock)}, () => { console.error('held'); return new Promise(() => {}); }))`;
  const run = startProcess(process.execPath, ['-e', script], {});
  onTestFinished(() => void run.child.kill('SIGKILL'));
  await run.waitForStderr(/held/);
  return run;
}

/** The pid of a process that has exited: nothing runs under it any more. */
async function deadPid() {
  const run = startProcess(process.execPath, ['-e', ''], {});
  await run.exit;
  return run.child.pid!;
}

describe('withFileLock, on a lock whose holder is gone', () => {
  it('takes over at once a lock left by a process killed holding it (kill -9), not after staleAfter', async () => {
    const lock = join(await tempDir(), 'tokens.json.lock');
    const holder = await holderProcess(lock);
    // The holder names itself, its host, pid namespace and boot in the lock.
    expect(await readFile(lock, 'utf8')).toBe(lockOf(holder.child.pid!));
    holder.child.kill('SIGKILL');
    await holder.exit;
    expect(await withFileLock(lock, async () => 'ran', { waitFor: 500 })).toBe('ran');
  });

  it('waits for a holder that runs, and for one on another host (a shared home directory)', async () => {
    const lock = join(await tempDir(), 'tokens.json.lock');
    const options = { waitFor: 200, pollEvery: 10 };
    for (const holder of [lockOf(process.pid), `${await deadPid()}\nanother-host\n`]) {
      await writeFile(lock, holder);
      await expect(withFileLock(lock, async () => 'ran', options)).rejects.toMatchObject({
        code: 'token_storage',
        message: `${lock} is held by another process`,
      });
    }
  });

  it('waits for a gone holder of this host name in another pid namespace, boot or older lock', async () => {
    const lock = join(await tempDir(), 'tokens.json.lock');
    const options = { waitFor: 200, pollEvery: 10 };
    // A pid of another namespace (a container sharing the host name, unshare) or another machine of the
    // same name (a shared home) is not one this process can check: ESRCH here says nothing of it.
    const [pid, host, namespace, boot] = lockOf(await deadPid()).split('\n');
    const others = [
      [pid, host, 'pid:[1]', boot],
      [pid, host, namespace, '00000000-0000-0000-0000-000000000000'],
      [pid, host],
    ];
    for (const lines of others) {
      await writeFile(lock, lines.map((line) => `${line}\n`).join(''));
      await expect(withFileLock(lock, async () => 'ran', options)).rejects.toMatchObject({
        message: `${lock} is held by another process`,
      });
    }
  });

  it("tells onWait once, with the holder's pid, when the wait has lasted a second", async () => {
    const lock = join(await tempDir(), 'tokens.json.lock');
    await writeFile(lock, lockOf(process.pid));
    const told: Array<number | undefined> = [];
    const release = async () => {
      // Held a while longer: one notice, however long the wait.
      await sleep(300);
      await unlink(lock);
    };
    const onWait = (pid: number | undefined) => {
      told.push(pid);
      void release();
    };
    expect(await withFileLock(lock, async () => 'ran', { onWait, pollEvery: 10 })).toBe('ran');
    expect(told).toEqual([process.pid]);
  });
});
