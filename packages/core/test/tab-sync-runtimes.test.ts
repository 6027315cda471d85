import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { resolveEnvironment, type BroadcastChannelLike } from '../src/environment.js';
import { crossTabSync, singleTab, type TabMessage } from '../src/tab-sync.js';

/** The cross-tab module of app `name` in a runtime given only these members (no Web Locks unless given). */
const tabIn = (
  environment: Parameters<typeof resolveEnvironment>[0],
  onMessage: (message: TabMessage) => void = () => undefined,
  name = 'tab-sync-runtimes',
) =>
  crossTabSync()({ name, onMessage, environment: resolveEnvironment({ locks: undefined, ...environment }) });

/** A browser's BroadcastChannel as far as the module sees it: no `unref` (that is Node's). */
class BrowserChannel implements BroadcastChannelLike {
  static opened: BrowserChannel[] = [];
  onmessage: ((event: MessageEvent) => void) | null = null;
  posted: unknown[] = [];
  closed = false;
  constructor(readonly name: string) {
    BrowserChannel.opened.push(this);
  }
  postMessage(message: unknown) {
    this.posted.push(message);
  }
  close() {
    this.closed = true;
  }
}

describe('cross-tab sync in runtimes without BroadcastChannel or Web Locks', () => {
  it('posts and closes without a BroadcastChannel (an old browser, a worker), and still runs locked tasks', async () => {
    const sync = tabIn({ BroadcastChannel: undefined });
    expect(() => sync.post('login')).not.toThrow();
    await expect(sync.withLock(async (waited) => ({ waited }))).resolves.toEqual({ waited: false });
    expect(() => sync.close()).not.toThrow();
  });

  it('tells a task that nobody went first when tasks are only serialized within the tab', async () => {
    const waits: boolean[] = [];
    const record = async (waited: boolean) => void waits.push(waited);
    const sync = tabIn({ BroadcastChannel: undefined });
    await Promise.all([sync.withLock(record), sync.withLock(record)]);
    const single = singleTab();
    await Promise.all([single.withLock(record), single.withLock(record)]);
    expect(waits).toEqual([false, false, false, false]);
  });
});

describe("cross-tab sync over a browser's BroadcastChannel", () => {
  it('opens the channel named after the app, posts on it, and closes it', () => {
    BrowserChannel.opened = [];
    const sync = tabIn({ BroadcastChannel: BrowserChannel });
    const [channel] = BrowserChannel.opened;
    expect(channel).toMatchObject({ name: 'tab-sync-runtimes', closed: false });
    sync.post('logout');
    expect(channel!.posted).toEqual(['logout']);
    sync.close();
    expect(channel!.closed).toBe(true);
  });

  it('passes on login and logout only, whatever else another script posts on the channel', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('login', 'logout'), fc.anything())), (posted) => {
        BrowserChannel.opened = [];
        const heard: unknown[] = [];
        tabIn({ BroadcastChannel: BrowserChannel }, (message) => heard.push(message));
        for (const data of posted) BrowserChannel.opened[0]!.onmessage!({ data } as MessageEvent);
        expect(heard).toEqual(posted.filter((data) => data === 'login' || data === 'logout'));
      }),
    );
  });

  it('lets a server process exit though the channel is open (Node unrefs it)', () => {
    const unref = vi.fn();
    class NodeChannel extends BrowserChannel {
      unref = unref;
    }
    tabIn({ BroadcastChannel: NodeChannel }).close();
    expect(unref).toHaveBeenCalledOnce();
  });
});

describe('a closed tab', () => {
  it('hears nothing more from the other tabs of the app', async () => {
    const heard: TabMessage[] = [];
    const closed = tabIn({ BroadcastChannel }, (message) => heard.push(message));
    const open = tabIn({ BroadcastChannel }, (message) => heard.push(message));
    const other = tabIn({ BroadcastChannel });
    closed.close();
    other.post('logout');
    await vi.waitFor(() => expect(heard).toEqual(['logout']), { timeout: 15_000 });
    // Whatever the channel delivered to one tab it has delivered to every tab listening by now.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toEqual(['logout']);
    open.close();
    other.close();
  });
});
