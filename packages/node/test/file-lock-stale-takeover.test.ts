import { readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileLock } from '../src/index.js';
import { startProcess } from './cli-process.js';
import { lockOf, tempDirs } from './support.js';

const tempDir = tempDirs();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A lock file left two minutes ago by a process that crashed holding it. */
async function staleLock(path: string) {
  await writeFile(path, '99999');
  const crashed = new Date(Date.now() - 120_000);
  await utimes(path, crashed, crashed);
}

let gone: Promise<number> | undefined;
/** The pid of a process of this host that is gone (Ctrl-C, kill -9); one for every round, as spawning
 * sixty took over 120 s with turbo running every package's tests on two cores. */
const gonePid = () =>
  (gone ??= (async () => {
    const run = startProcess(process.execPath, ['-e', ''], {});
    await run.exit;
    return run.child.pid!;
  })());

/** A lock file just left by a process of this host that is gone. */
async function holderGone(path: string) {
  await writeFile(path, lockOf(await gonePid()));
}

describe('withFileLock, on a lock left by a crashed process', () => {
  it.each([
    ['older than staleAfter', staleLock],
    ['whose holder is gone', holderGone],
  ])('lets one waiter at a time take over one %s, however many judged it left together', async (_, left) => {
    const dir = await tempDir();
    const lock = join(dir, 'tokens.json.lock');
    let inside = 0;
    let most = 0;
    const task = async () => {
      most = Math.max(most, ++inside);
      await sleep(5);
      inside--;
    };
    let ran = 0;
    // Whether two waiters collide is a matter of timing: many rounds make a double holder show.
    for (let round = 0; round < 60; round++) {
      await left(lock);
      await Promise.all(
        Array.from({ length: 8 }, () => withFileLock(lock, () => task().then(() => ran++), { pollEvery: 5 })),
      );
    }
    expect(ran).toBe(480);
    expect(most).toBe(1);
    // Nothing of the takeovers is left behind.
    expect(await readdir(dir)).toEqual([]);
  });
});
