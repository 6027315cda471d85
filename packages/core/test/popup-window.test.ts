import { describe, expect, it, vi } from 'vitest';
import { PopupBlockedError, PopupClosedError, TimeoutError } from '../src/errors.js';
import {
  POPUP_MESSAGE_TYPE,
  POPUP_TARGET,
  openPopup,
  sendCallbackToOpener,
  type MessageEventLike,
  type PopupHost,
} from '../src/popup.js';
import { manualTimers, type ManualTimers } from './support.js';

const ORIGIN = 'https://app.test';
const REDIRECT_URI = `${ORIGIN}/callback`;
const CALLBACK = `${REDIRECT_URI}?code=c&state=s1&iss=https%3A%2F%2Fidp.test%2F`;

/** A popup whose location throws while "at the IdP", as a cross-origin window's does. */
function fakePopup() {
  const popup = {
    closed: false,
    crossOrigin: false,
    href: 'about:blank',
    location: {
      get href(): string {
        if (popup.crossOrigin) throw new DOMException('Blocked a frame', 'SecurityError');
        return popup.href;
      },
      set href(url: string) {
        popup.href = url;
        popup.crossOrigin = !url.startsWith(ORIGIN);
      },
    },
    close() {
      popup.closed = true;
    },
  };
  return popup;
}
type FakePopup = ReturnType<typeof fakePopup>;

function fakeHost(blocked = false) {
  const listeners = new Set<(event: MessageEventLike) => void>();
  const opened: { url: string; target: string; features: string; popup: FakePopup }[] = [];
  const host: PopupHost = {
    open(url, target, features) {
      if (blocked) return null;
      const popup = fakePopup();
      opened.push({ url, target, features, popup });
      return popup;
    },
    addEventListener: (type, listener) => void (type === 'message' && listeners.add(listener)),
    removeEventListener: (type, listener) => void (type === 'message' && listeners.delete(listener)),
  };
  const post = (event: MessageEventLike) => listeners.forEach((listener) => listener(event));
  return { host, opened, listeners, post };
}

/** What the client asks of the popup, its timers on the test's clock. */
const request = (clock: ManualTimers) => ({
  redirectUri: REDIRECT_URI,
  state: 's1',
  origin: ORIGIN,
  timers: clock.timers,
});

describe('openPopup', () => {
  it('opens a blank named popup at once, then navigates it to the authorization URL', () => {
    const { host, opened } = fakeHost();
    const handle = openPopup()(host);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.target).toBe(POPUP_TARGET);
    expect(opened[0]!.popup.href).toBe('about:blank');
    handle.navigate('https://idp.test/authorize?x=1');
    expect(opened[0]!.popup.href).toBe('https://idp.test/authorize?x=1');
  });

  it('throws PopupBlockedError when the browser refuses', () => {
    expect(() => openPopup()(fakeHost(true).host)).toThrow(PopupBlockedError);
    expect(() => openPopup()(fakeHost(true).host)).toThrow('the browser blocked the sign-in popup');
  });

  it('throws a TypeError naming the window where there is none (Node, a server render): no browser refused', () => {
    expect(() => openPopup()(undefined)).toThrow(TypeError);
    expect(() => openPopup()(undefined)).toThrow('popupWindow() needs a window (environment.window)');
  });

  it('opens an empty 500 × 640 popup by default, or with the features given, and closes it on demand', () => {
    const { host, opened } = fakeHost();
    openPopup()(host);
    const handle = openPopup({ features: 'popup=yes,width=320' })(host);
    expect(opened.map(({ url, features }) => [url, features])).toEqual([
      ['', 'popup=yes,width=500,height=640,resizable=yes,scrollbars=yes'],
      ['', 'popup=yes,width=320'],
    ]);
    handle.close();
    expect(opened.map(({ popup }) => popup.closed)).toEqual([false, true]);
  });

  it('reads the callback once the popup is back on our origin, and closes it', async () => {
    const { host, opened, listeners } = fakeHost();
    const clock = manualTimers();
    const handle = openPopup()(host);
    handle.navigate('https://idp.test/authorize');
    const result = handle.result(request(clock));
    await clock.advance(500);
    opened[0]!.popup.location.href = CALLBACK;
    await clock.advance(150);
    await expect(result).resolves.toBe(CALLBACK);
    expect(opened[0]!.popup.closed).toBe(true);
    expect(listeners.size).toBe(0);
    // Neither the polling nor the timeout outlives the answer.
    expect(clock.delays()).toEqual([]);
  });

  it('ignores our origin at another path than the redirect URI, though it carries code and state', async () => {
    const { host, opened } = fakeHost();
    const clock = manualTimers();
    const handle = openPopup({ timeoutInSeconds: 2 })(host);
    const result = handle.result(request(clock));
    opened[0]!.popup.location.href = CALLBACK.replace('/callback', '/elsewhere');
    const outcome = expect(result).rejects.toBeInstanceOf(TimeoutError);
    await clock.advance(2100);
    await outcome;
  });

  it('ignores a callback for another state', async () => {
    const { host, opened } = fakeHost();
    const clock = manualTimers();
    const handle = openPopup({ timeoutInSeconds: 2 })(host);
    const result = handle.result(request(clock));
    opened[0]!.popup.location.href = CALLBACK.replace('s1', 'other');
    const outcome = expect(result).rejects.toBeInstanceOf(TimeoutError);
    await clock.advance(2100);
    await outcome;
  });

  it('takes a message from the popup only from our origin, from that window, with the state', async () => {
    const { host, opened, post } = fakeHost();
    const clock = manualTimers();
    const handle = openPopup()(host);
    handle.navigate('https://idp.test/authorize');
    const result = handle.result(request(clock));
    const popup = opened[0]!.popup;
    const data = { type: POPUP_MESSAGE_TYPE, url: CALLBACK };
    post({ origin: 'https://evil.test', source: popup, data });
    post({ origin: ORIGIN, source: {}, data });
    post({ origin: ORIGIN, source: popup, data: { ...data, url: CALLBACK.replace('s1', 'x') } });
    post({ origin: ORIGIN, source: popup, data: { type: 'other', url: CALLBACK } });
    await clock.advance(300);
    let settled = false;
    void result.then(() => (settled = true));
    await clock.advance(0);
    expect(settled).toBe(false);
    post({ origin: ORIGIN, source: popup, data });
    await expect(result).resolves.toBe(CALLBACK);
  });

  it('rejects with PopupClosedError when the user closes the popup', async () => {
    const { host, opened } = fakeHost();
    const clock = manualTimers();
    const handle = openPopup()(host);
    handle.navigate('https://idp.test/authorize');
    const result = handle.result(request(clock));
    const outcome = expect(result).rejects.toThrow(new PopupClosedError('the sign-in popup was closed'));
    opened[0]!.popup.closed = true;
    await clock.advance(150);
    await outcome;
    expect(clock.delays()).toEqual([]);
  });

  it('rejects with TimeoutError (code timeout) and closes the popup after the timeout', async () => {
    const { host, opened } = fakeHost();
    const clock = manualTimers();
    const handle = openPopup({ timeoutInSeconds: 5 })(host);
    handle.navigate('https://idp.test/authorize');
    const result = handle.result(request(clock));
    const outcome = expect(result).rejects.toMatchObject({ code: 'timeout' });
    await clock.advance(5100);
    await outcome;
    // The app can tell which wait ran out: the user's, not a server's.
    await expect(result).rejects.toThrow(new TimeoutError('the sign-in popup did not come back in time'));
    expect(opened[0]!.popup.closed).toBe(true);
  });

  it('opens every sign-in in the one window of its own name, so a second click reuses it', () => {
    const { host, opened } = fakeHost();
    openPopup()(host);
    openPopup({ features: 'popup=yes' })(host);
    const [first, second] = opened.map(({ target }) => target);
    expect(first).toBe(second);
    // Empty or `_`-prefixed names (`_blank`, `_self`...) would open a new window or leave the app.
    expect(first).toMatch(/^[^_]/);
  });

  it("takes the callback page's message in its wire format, whatever grantflow build posted it", async () => {
    const { host, opened, post } = fakeHost();
    const clock = manualTimers();
    const handle = openPopup()(host);
    const result = handle.result(request(clock));
    post({
      origin: ORIGIN,
      source: opened[0]!.popup,
      data: { type: 'grantflow:popup-callback', url: CALLBACK },
    });
    await expect(result).resolves.toBe(CALLBACK);
  });
});

describe('sendCallbackToOpener', () => {
  it('posts the callback URL to the opener, for our origin only', () => {
    const postMessage = vi.fn();
    const page = { opener: { postMessage }, location: { href: CALLBACK, origin: ORIGIN } };
    expect(sendCallbackToOpener(page, true)).toBe(true);
    expect(postMessage).toHaveBeenCalledWith({ type: POPUP_MESSAGE_TYPE, url: CALLBACK }, ORIGIN);
  });

  it('does nothing without an opener or outside a callback', () => {
    const postMessage = vi.fn();
    expect(sendCallbackToOpener({ opener: null, location: { href: CALLBACK, origin: ORIGIN } }, true)).toBe(
      false,
    );
    expect(
      sendCallbackToOpener({ opener: { postMessage }, location: { href: ORIGIN, origin: ORIGIN } }, false),
    ).toBe(false);
    expect(sendCallbackToOpener(undefined, true)).toBe(false);
    expect(postMessage).not.toHaveBeenCalled();
  });
});
