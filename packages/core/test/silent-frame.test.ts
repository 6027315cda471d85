import { describe, expect, it } from 'vitest';
import type { DocumentLike } from '../src/environment.js';
import { TimeoutError } from '../src/errors.js';
import { silentAuthorize } from '../src/silent.js';
import { manualTimers } from './support.js';

const REDIRECT_URI = 'https://app.example/silent';
const AUTHORIZE = 'https://idp.example/authorize?prompt=none';

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

describe('a silent authorization in a hidden frame', () => {
  it("waits while the frame is blank, at the server or elsewhere on the app's origin, then resolves at the redirect URI", async () => {
    const { document, frame } = frameDocument();
    const { timers, withDelay, delays, fire } = manualTimers();
    let settled = false;
    const answer = silentAuthorize(document, AUTHORIZE, REDIRECT_URI, 10_000, timers);
    void answer.then(() => (settled = true));
    const [poll] = withDelay(50);
    fire(poll!);
    frame.at = null;
    fire(poll!);
    frame.at = 'https://app.example/elsewhere?code=c&state=s';
    fire(poll!);
    await Promise.resolve();
    expect([settled, frame.removed]).toEqual([false, false]);
    frame.at = `${REDIRECT_URI}?code=c&state=s`;
    fire(poll!);
    await expect(answer).resolves.toBe(`${REDIRECT_URI}?code=c&state=s`);
    expect(frame.removed).toBe(true);
    // Neither the polling nor the timeout outlives the answer.
    expect(delays()).toEqual([]);
  });

  it('gives up with a timeout error once the time is up, removing the frame and every timer', async () => {
    const { document, frame } = frameDocument();
    const { timers, withDelay, delays, fire } = manualTimers();
    frame.at = null;
    const answer = silentAuthorize(document, AUTHORIZE, REDIRECT_URI, 3_000, timers);
    expect(delays()).toEqual([50, 3_000]);
    withDelay(50).forEach(fire);
    expect(frame.removed).toBe(false);
    withDelay(3_000).forEach(fire);
    await expect(answer).rejects.toThrow(new TimeoutError('silent authorization'));
    await expect(answer).rejects.toMatchObject({ code: 'timeout' });
    expect(frame.removed).toBe(true);
    expect(delays()).toEqual([]);
  });
});
