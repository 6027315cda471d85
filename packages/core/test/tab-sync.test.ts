import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTabSync, type TabMessage } from '../src/tab-sync.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('createTabSync', () => {
  it('delivers login and logout to the other tabs of the same app, not to itself', async () => {
    const received: Array<[string, TabMessage]> = [];
    const a = createTabSync('app-1', (message) => received.push(['a', message]));
    const b = createTabSync('app-1', (message) => received.push(['b', message]));
    const other = createTabSync('app-2', (message) => received.push(['other', message]));
    try {
      a.post('login');
      b.post('logout');
      await vi.waitFor(() => expect(received).toHaveLength(2));
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
      await vi.waitFor(() => expect(received).toEqual(['login']));
    } finally {
      stranger.close();
      sync.close();
    }
  });

  it('sends nothing when broadcasting is off', async () => {
    const received: TabMessage[] = [];
    const quiet = createTabSync('app-4', () => undefined, false);
    const listener = createTabSync('app-4', (message) => received.push(message));
    quiet.post('logout');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual([]);
    quiet.close();
    listener.close();
  });

  it('runs locked tasks one at a time without Web Locks, even when one fails', async () => {
    const sync = createTabSync('app-5', () => undefined, false);
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
  });

  it('uses navigator.locks when present', async () => {
    const request = vi.fn((_name: string, task: () => Promise<string>) => task());
    vi.stubGlobal('navigator', { locks: { request } });
    const sync = createTabSync('app-6', () => undefined, false);
    await expect(sync.withLock(async () => 'done')).resolves.toBe('done');
    expect(request).toHaveBeenCalledWith('app-6', expect.any(Function));
  });
});
