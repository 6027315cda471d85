import { isTimeLimit } from './access-token.js';
import { parseCallback, sameEndpoint } from './callback.js';
import { PopupBlockedError, PopupClosedError, TimeoutError } from './errors.js';
import { isObject } from './http.js';
import { createPopupFlow, type PopupFlowDeps, type PopupMethods } from './popup-flow.js';

/** The sign-in window as the opener sees it; its `location` throws while another origin has it. */
export interface PopupWindowLike {
  readonly closed: boolean;
  readonly location: { href: string };
  close(): void;
}

export interface MessageEventLike {
  origin: string;
  source: unknown;
  data: unknown;
}

/** What the popup needs of the opener's window (`window` in a browser). */
export interface PopupHost {
  open(url: string, target: string, features: string): PopupWindowLike | null;
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
}

interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
}

/** The `type` of the message a callback page inside the popup posts to its opener. */
export const POPUP_MESSAGE_TYPE = 'grantflow:popup-callback';

export interface PopupOptions {
  /** Window features; default a 500 × 640 popup. */
  features?: string;
  /**
   * Seconds to wait for the user; default the client's `authorizeTimeoutInSeconds`, else 300 (a sign-in
   * with a password manager and MFA takes a while).
   */
  timeoutInSeconds?: number;
}

/**
 * One sign-in's own popup settings: the second argument of `loginWithPopup` and
 * `getAccessTokenWithPopup`, as Auth0's SDK takes them.
 */
export interface PopupConfig {
  /**
   * A window the app opened itself inside the user's click (to size or place it), used instead of opening
   * one: it is navigated to the authorization URL and closed at the end, as one the module opens.
   */
  popup?: PopupWindowLike | null | undefined;
  /** Seconds to wait for the user in this sign-in; default (or 0): the module's, the client's, else 300. */
  timeoutInSeconds?: number | undefined;
}

export const POPUP_TARGET = 'grantflow:popup';
/**
 * The sign-in each window serves, page-wide: browsers give every popup opened by one name (a double
 * click, or two clients on one page) the same window, which the newest sign-in takes over.
 */
const signInIn = new WeakMap<PopupWindowLike, (reason: Error) => void>();
const DEFAULT_FEATURES = 'popup=yes,width=500,height=640,resizable=yes,scrollbars=yes';
const POLL_MS = 100;

export interface PopupResultRequest {
  redirectUri: string;
  state: string;
  /** The app's origin: only its messages are taken. */
  origin: string;
  timers: Timers;
}

/** A popup opened inside the user's click; the authorization URL comes once it is built. */
export interface PopupHandle {
  /** Whether a newer sign-in took the window over (see `onRelease`). */
  readonly released: boolean;
  navigate(url: string): void;
  /** Resolves with the callback URL carrying `state`; `popup_closed` or `timeout` otherwise. */
  result(request: PopupResultRequest): Promise<string>;
  /** Calls back once a newer sign-in takes the window over; no navigation, wait or close of this one touches it then. */
  onRelease(listener: (reason: Error) => void): void;
  /** Closes the window, and ends this sign-in's hold on it. */
  close(): void;
}

/** The popup module as the client calls it: the window code and the flow are only in apps that use it. */
export type PopupLogin = (deps: PopupFlowDeps) => PopupMethods;

/**
 * Opens the window now (or takes the app's): call it before anything is awaited, or browsers block it.
 * `clientSeconds` (the client's `authorizeTimeoutInSeconds`) is the wait when neither the call nor the
 * module names one.
 */
export type OpenPopup = (
  host: PopupHost | undefined,
  config?: PopupConfig,
  clientSeconds?: number,
) => PopupHandle;

/**
 * Opt-in popup sign-in (`createAuthClient({ popup: popupWindow() })`). The callback comes back by
 * reading the popup's URL once it is same-origin again, or by a `postMessage` from the callback page
 * (origin, source and state checked); the popup is closed either way.
 */
export function popupWindow(options: PopupOptions = {}): PopupLogin {
  const open = openPopup(options); // checks the options now, where the app passes them
  return (deps) => createPopupFlow(deps, open);
}

/** The window part alone: opens a blank popup at once (or takes the app's), navigated once the URL is ready. */
export function openPopup(options: PopupOptions = {}): OpenPopup {
  const features = options.features ?? DEFAULT_FEATURES;
  checkSeconds(options.timeoutInSeconds, 'popupWindow(): ');
  return (host, { popup: given, timeoutInSeconds } = {}, clientSeconds) => {
    checkSeconds(timeoutInSeconds, '');
    // As Auth0's SDK: a limit of 0 (or none) is no limit given, and the next one applies. The client's
    // `timeout` never applies: it bounds exchanges with servers, this waits for a person.
    const seconds = timeoutInSeconds || options.timeoutInSeconds || clientSeconds || 300;
    // No window at all (Node, a server render) is the app's setup, not a browser's refusal.
    if (!given && !host) throw new TypeError('popupWindow() needs a window (environment.window)');
    const popup = given ?? host?.open('', POPUP_TARGET, features) ?? null;
    if (popup === null) throw new PopupBlockedError('the browser blocked the sign-in popup');
    let released: Error | undefined;
    const listeners: ((reason: Error) => void)[] = [];
    const release = (reason: Error) => {
      released ??= reason;
      for (const listener of listeners.splice(0)) listener(reason);
    };
    signInIn.get(popup)?.(new PopupClosedError('a newer popup sign-in took over the sign-in window'));
    signInIn.set(popup, release);
    return {
      get released() {
        return released !== undefined;
      },
      navigate: (url) => {
        if (!released) popup.location.href = url;
      },
      result: (request) =>
        released
          ? Promise.reject(released)
          : awaitCallback(host, popup, request, seconds * 1000, (stop) => listeners.push(stop)),
      onRelease: (listener) => void (released ? listener(released) : listeners.push(listener)),
      close: () => {
        if (released) return;
        if (signInIn.get(popup) === release) signInIn.delete(popup);
        popup.close();
      },
    };
  };
}

/** 0 or undefined (none given), or a limit a timer can wait: `-1`, `NaN` or `'60'` would time out at once. */
function checkSeconds(value: unknown, prefix: string): void {
  if (value !== undefined && value !== 0 && !isTimeLimit(value)) {
    throw new TypeError(`${prefix}timeoutInSeconds must be a number of seconds > 0 and < 2^31 ms`);
  }
}

/** The URL of the popup when it is our callback for `state`; undefined while elsewhere. */
function callbackOf(href: unknown, { redirectUri, state }: PopupResultRequest): string | undefined {
  if (typeof href !== 'string' || href === 'about:blank') return undefined;
  try {
    if (!sameEndpoint(new URL(href), new URL(redirectUri))) return undefined;
    return parseCallback(href)?.state === state ? href : undefined;
  } catch {
    return undefined;
  }
}

function awaitCallback(
  host: PopupHost | undefined,
  popup: PopupWindowLike,
  request: PopupResultRequest,
  timeout: number,
  onRelease: (stop: (reason: Error) => void) => unknown,
): Promise<string> {
  const { timers } = request;
  return new Promise<string>((resolve, reject) => {
    const stop = () => {
      timers.clearInterval(poll);
      timers.clearTimeout(timer);
      host?.removeEventListener('message', onMessage);
    };
    const finish = (settle: () => void) => {
      stop();
      popup.close();
      settle();
    };
    const onMessage = (event: MessageEventLike) => {
      if (event.origin !== request.origin || event.source !== popup || !isObject(event.data)) return;
      if (event.data.type !== POPUP_MESSAGE_TYPE) return;
      const url = callbackOf(event.data.url, request);
      if (url !== undefined) finish(() => resolve(url));
    };
    const poll = timers.setInterval(() => {
      let href: string | undefined;
      try {
        href = popup.location.href;
      } catch {
        // cross-origin while the authorization server has the popup
      }
      const url = callbackOf(href, request);
      if (url !== undefined) finish(() => resolve(url));
      else if (popup.closed) finish(() => reject(new PopupClosedError('the sign-in popup was closed')));
    }, POLL_MS);
    const timer = timers.setTimeout(
      () => finish(() => reject(new TimeoutError('the sign-in popup did not come back in time'))),
      timeout,
    );
    // Without a window of its own (the app's popup given), the client reads the popup's location alone.
    host?.addEventListener('message', onMessage);
    onRelease((reason) => {
      stop();
      reject(reason);
    });
  });
}

/** What a page needs to know whether it is a callback inside our popup (`window` in a browser). */
export interface PopupPage {
  readonly opener: { postMessage(message: unknown, targetOrigin: string): void } | null;
  readonly location: { href: string; origin: string };
}

/**
 * On the redirect page inside the popup: hands the callback URL to the opener (same origin only) and
 * returns true, so the page leaves the code to the opener instead of exchanging it itself.
 */
export function sendCallbackToOpener(page: PopupPage | undefined, isCallback: boolean): boolean {
  if (!page?.opener || !isCallback) return false;
  page.opener.postMessage({ type: POPUP_MESSAGE_TYPE, url: page.location.href }, page.location.origin);
  return true;
}
