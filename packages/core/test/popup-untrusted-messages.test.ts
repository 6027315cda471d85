import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openPopup, POPUP_MESSAGE_TYPE, type MessageEventLike } from '../src/popup.js';

const ORIGIN = 'https://app.test';
const REDIRECT_URI = `${ORIGIN}/callback`;
const STATE = 's1';

/** Timers that never fire: only a message can settle the sign-in here. */
const idle = {
  setTimeout: () => 0,
  clearTimeout: () => undefined,
  setInterval: () => 0,
  clearInterval: () => undefined,
};

/** An opener whose popup is at the authorization server, and the messages the page receives. */
function signingIn() {
  const listeners: Array<(event: MessageEventLike) => void> = [];
  const popup = {
    closed: false,
    location: { href: 'https://idp.test/authorize' },
    close: () => void (popup.closed = true),
  };
  const handle = openPopup()({
    open: () => popup,
    addEventListener: (_type, listener) => void listeners.push(listener),
    removeEventListener: () => undefined,
  });
  let settled = false;
  const result = handle.result({ redirectUri: REDIRECT_URI, state: STATE, origin: ORIGIN, timers: idle });
  result.then(
    () => (settled = true),
    () => (settled = true),
  );
  const post = (event: MessageEventLike) => listeners.forEach((listener) => listener(event));
  return { popup, result, post, settled: () => settled };
}

/** Mostly `value`, sometimes anything `other` makes: most messages miss by one detail at most. */
const likely = <T>(value: T, other: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(value), weight: 4 }, { arbitrary: other, weight: 1 });

const callbackUrl = fc
  .record({
    origin: likely(
      ORIGIN,
      fc.webAuthority().map((authority) => `https://${authority}`),
    ),
    path: likely(
      '/callback',
      fc.webPath().map((path) => `/${path.replace(/^\/+/, '')}`),
    ),
    state: likely(STATE, fc.string()),
    code: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
  })
  .map(({ origin, path, state, code }) => {
    const url = new URL(`${origin}${path}`);
    url.searchParams.set('state', state);
    if (code !== undefined) url.searchParams.set('code', code);
    return url.href;
  });

/** What a message from any window may carry: anything, or something close to our callback. */
const data = fc.oneof(fc.anything(), {
  arbitrary: fc.record({
    type: likely(POPUP_MESSAGE_TYPE, fc.string()),
    // A one-element array reads as its element wherever a string is expected: it is no URL.
    url: fc.oneof(
      fc.anything(),
      { arbitrary: callbackUrl, weight: 3 },
      callbackUrl.map((url) => [url]),
    ),
  }),
  weight: 3,
});

const isOurCallback = (value: unknown): boolean => {
  if (typeof value !== 'object' || value === null) return false;
  const { type, url } = value as { type?: unknown; url?: unknown };
  if (type !== POPUP_MESSAGE_TYPE || typeof url !== 'string' || !URL.canParse(url)) return false;
  const parsed = new URL(url);
  const query = parsed.searchParams;
  return (
    `${parsed.origin}${parsed.pathname}` === REDIRECT_URI && query.get('state') === STATE && query.has('code')
  );
};

describe('messages from other windows during a popup sign-in', () => {
  it('settle nothing and leave the popup open unless they are our callback, from the popup, from our origin', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            origin: likely(ORIGIN, fc.string()),
            fromPopup: likely(true, fc.boolean()),
            data,
          }),
          { maxLength: 5 },
        ),
        async (messages) => {
          const sign = signingIn();
          const genuine = messages.filter(
            (message) => message.origin === ORIGIN && message.fromPopup && isOurCallback(message.data),
          );
          for (const { origin, fromPopup, data } of messages)
            sign.post({ origin, source: fromPopup ? sign.popup : {}, data });
          await Promise.resolve();
          await Promise.resolve();
          expect(sign.settled()).toBe(genuine.length > 0);
          expect(sign.popup.closed).toBe(genuine.length > 0);
          if (genuine.length > 0)
            await expect(sign.result).resolves.toBe((genuine[0]!.data as { url: string }).url);
        },
      ),
      { numRuns: 300 },
    );
  });
});
