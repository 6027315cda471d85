import { describe, expect, it, vi } from 'vitest';
import { resolveEnvironment, type Environment } from '../src/environment.js';
import { crossTabSync, singleTab, type TabMessage } from '../src/tab-sync.js';
import { EVENTUALLY, fakeLockManager } from './support.js';

/** A tab of app `name` in this process: Node's own BroadcastChannel, and Web Locks only when given. */
const createTabSync = (
  name: string,
  onMessage: (message: TabMessage) => void,
  environment: Partial<Environment> = {},
) =>
  crossTabSync()({ name, onMessage, environment: resolveEnvironment({ locks: undefined, ...environment }) });

describe('crossTabSync', () => {
  it('delivers login and logout to the other tabs of the same app, not to itself', async () => {
    const received: Array<[string, TabMessage]> = [];
    const a = createTabSync('app-1', (message) => received.push(['a', message]));
    const b = createTabSync('app-1', (message) => received.push(['b', message]));
    const other = createTabSync('app-2', (message) => received.push(['other', message]));
    try {
      a.post('login');
      b.post('logout');
      await vi.waitFor(() => expect(received).toHaveLength(2), EVENTUALLY);
      expect(received).toEqual(
        expect.arrayContaining([
          ['b', 'login'],
          ['a', 'logout'],
        ]),
      );
    } finally {
      a.close();
      b.close();
      other.close();
    }
  });

  it('ignores foreign messages on the channel', async () => {
    const received: TabMessage[] = [];
    const sync = createTabSync('app-3', (message) => received.push(message));
    const stranger = new BroadcastChannel('app-3');
    try {
      stranger.postMessage({ token: 'x' });
      stranger.postMessage('login');
      await vi.waitFor(() => expect(received).toEqual(['login']), EVENTUALLY);
    } finally {
      stranger.close();
      sync.close();
    }
  });

  it('sends nothing without the module (a single tab)', async () => {
    const received: TabMessage[] = [];
    const quiet = singleTab();
    const listener = createTabSync('app-4', (message) => received.push(message));
    quiet.post('logout');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual([]);
    quiet.close();
    listener.close();
  });

  it('runs locked tasks one at a time without Web Locks, even when one fails', async () => {
    const sync = createTabSync('app-5', () => undefined);
    const log: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([sync.withLock(task('a', true)), sync.withLock(task('b'))]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
    sync.close();
  });

  it('uses Web Locks when present, and tells a task whether another tab held the lock first', async () => {
    const locks = fakeLockManager();
    const sync = createTabSync('app-6', () => undefined, { locks });
    const otherTab = createTabSync('app-6', () => undefined, { locks });
    const order: string[] = [];
    let release = () => undefined as void;
    const first = sync.withLock(async (waited) => {
      order.push(`first waited=${waited}`);
      await new Promise<void>((resolve) => (release = resolve));
      order.push('first done');
    });
    const own = sync.withLock(async (waited) => void order.push(`own waited=${waited}`));
    const other = otherTab.withLock(async (waited) => void order.push(`other tab waited=${waited}`));
    await vi.waitFor(() => expect(order).toEqual(['first waited=false']), EVENTUALLY);
    release();
    await Promise.all([first, own, other]);
    // This client's own next task queued behind the first: no other tab went first, nothing to settle.
    expect(order).toEqual(['first waited=false', 'first done', 'other tab waited=true', 'own waited=false']);
    sync.close();
    otherTab.close();
  });
});
