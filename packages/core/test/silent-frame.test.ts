import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DocumentLike } from '../src/environment.js';
import { TimeoutError } from '../src/errors.js';
import { silentAuthorize } from '../src/silent.js';

const REDIRECT_URI = 'https://app.example/silent';
const AUTHORIZE = 'https://idp.example/authorize?prompt=none';

/** The runtime's timers, looked up at call time so that vitest's fake timers stand in for them. */
const timers = {
  setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms),
  clearTimeout: (id: unknown) => clearTimeout(id as number),
  setInterval: (callback: () => void, ms: number) => setInterval(callback, ms),
  clearInterval: (id: unknown) => clearInterval(id as number),
};

/**
 * A document with one hidden frame whose location the test moves: `null` while the authorization server
 * (another origin) has it, so reading it throws as a browser's does.
 */
function frameDocument() {
  const frame = {
    at: 'about:blank' as string | null,
    attached: false,
    removed: false,
    src: '',
    style: {} as Record<string, string>,
    setAttribute: () => undefined,
    remove() {
      frame.removed = true;
    },
    get contentWindow() {
      if (!frame.attached) return null;
      return {
        get location() {
          if (frame.at === null) throw new DOMException('Blocked a frame', 'SecurityError');
          return { href: frame.at };
        },
      };
    },
  };
  const document = {
    createElement: () => frame,
    body: { appendChild: () => void (frame.attached = true) },
  } as unknown as DocumentLike;
  return { document, frame };
}

describe('silentAuthorize', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("waits while the frame is blank, at the server or elsewhere on the app's origin, then resolves at the redirect URI", async () => {
    const { document, frame } = frameDocument();
    let settled = false;
    const answer = silentAuthorize(document, AUTHORIZE, REDIRECT_URI, 10_000, timers);
    void answer.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(200);
    frame.at = null;
    await vi.advanceTimersByTimeAsync(200);
    frame.at = 'https://app.example/elsewhere?code=c&state=s';
    await vi.advanceTimersByTimeAsync(200);
    expect(settled).toBe(false);
    frame.at = `${REDIRECT_URI}?code=c&state=s`;
    await vi.advanceTimersByTimeAsync(100);
    await expect(answer).resolves.toBe(`${REDIRECT_URI}?code=c&state=s`);
    expect(frame.removed).toBe(true);
    // Neither the polling nor the timeout outlives the answer.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives up with a timeout error once the time is up, removing the frame and every timer', async () => {
    const { document, frame } = frameDocument();
    frame.at = null;
    const answer = silentAuthorize(document, AUTHORIZE, REDIRECT_URI, 3_000, timers);
    const outcome = expect(answer).rejects.toThrow(new TimeoutError('silent authorization'));
    await vi.advanceTimersByTimeAsync(2_990);
    expect(frame.removed).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    await outcome;
    await expect(answer).rejects.toMatchObject({ code: 'timeout' });
    expect(frame.removed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
