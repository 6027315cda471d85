import { describe, expect, it, vi } from 'vitest';
import {
  createAuthClient,
  memoryStorage,
  popupWindow,
  TimeoutError,
  type AuthClientOptions,
} from '../src/index.js';
import type { PopupHost, PopupWindowLike } from '../src/popup.js';
import { manualTimers } from './support.js';

const ORIGIN = 'https://app.example';
const ISSUER = 'https://idp.example/';
const NOW = 1_700_000_000_000;
const POLL_MS = 100;

const jwt = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

/**
 * A window as the app opens it: navigated to the authorization URL, it comes back at once to the
 * redirect_uri with a code for `state` (the one asked for, unless `answerState` says otherwise).
 */
function appWindow(answerState?: string) {
  const window = {
    closed: false,
    href: 'about:blank',
    authorizations: [] as URL[],
    location: {
      get href() {
        return window.href;
      },
      set href(url: string) {
        const request = new URL(url);
        window.authorizations.push(request);
        const callback = new URL(request.searchParams.get('redirect_uri')!);
        callback.searchParams.set('code', 'c');
        callback.searchParams.set('state', answerState ?? request.searchParams.get('state')!);
        window.href = callback.href;
      },
    },
    close: () => void (window.closed = true),
  };
  return window;
}

/**
 * A popup client whose own window opening is recorded (refused unless `own` is given), on timers the test
 * fires; `options` are more client options.
 */
function popupClient({
  host = true,
  moduleTimeout = undefined as number | undefined,
  own = null as PopupWindowLike | null,
  options = {} as Partial<AuthClientOptions>,
} = {}) {
  const { timers, withDelay, delays, fire } = manualTimers();
  const opened: string[] = [];
  const messages = new Set<unknown>();
  const window: PopupHost & { opener: null } = {
    opener: null,
    open: (url) => (opened.push(url), own),
    addEventListener: (_type, listener) => void messages.add(listener),
    removeEventListener: (_type, listener) => void messages.delete(listener),
  };
  let authorization: URL | undefined;
  const client = createAuthClient({
    issuer: ISSUER,
    clientId: 'app',
    redirectUri: `${ORIGIN}/callback`,
    endpoints: { authorization: `${ISSUER}authorize`, token: `${ISSUER}token` },
    now: () => NOW,
    navigate: () => undefined,
    fetch: async () => {
      const nonce = authorization!.searchParams.get('nonce');
      return Response.json({
        access_token: `token for ${authorization!.searchParams.get('audience') ?? 'the default audience'}`,
        token_type: 'Bearer',
        expires_in: 300,
        id_token: jwt({ iss: ISSUER, sub: 'u', aud: 'app', iat: NOW / 1000, exp: NOW / 1000 + 300, nonce }),
      });
    },
    popup: popupWindow({ timeoutInSeconds: moduleTimeout }),
    ...options,
    environment: {
      window: host ? window : undefined,
      location: { href: `${ORIGIN}/`, assign: () => undefined },
      sessionStorage: undefined,
      localStorage: undefined,
      timers,
    },
    transactionStorage: memoryStorage(),
  });
  /** Waits for the popup's poll to be set, then runs it once: it reads the popup's location. */
  const poll = async (popup: ReturnType<typeof appWindow>) => {
    await vi.waitFor(() => expect(delays()).toContain(POLL_MS));
    authorization = popup.authorizations.at(-1);
    fire(withDelay(POLL_MS)[0]!);
  };
  /** The token endpoint answers for this authorization request (its nonce and audience). */
  const answerFor = (url: URL) => void (authorization = url);
  return { client, opened, messages, poll, answerFor, delays, withDelay, fire };
}

describe('loginWithPopup(options, { popup })', () => {
  it("signs in in the app's own window: navigated to the authorization URL, closed at the end", async () => {
    const { client, opened, poll } = popupClient();
    const popup = appWindow();
    const login = client.loginWithPopup({ appState: { to: '/x' } }, { popup });
    await poll(popup);
    await expect(login).resolves.toEqual({ appState: { to: '/x' } });
    expect(opened).toEqual([]);
    expect(popup.authorizations.map((url) => url.origin + url.pathname)).toEqual([`${ISSUER}authorize`]);
    expect(popup.closed).toBe(true);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'u' } });
    client.destroy();
  });

  it("keeps the state check in the app's window: another state's answer is never taken", async () => {
    const { client, poll, withDelay, fire } = popupClient({ moduleTimeout: 5 });
    const popup = appWindow('another-state');
    const login = client.loginWithPopup({}, { popup });
    await poll(popup);
    fire(withDelay(5000)[0]!);
    await expect(login).rejects.toBeInstanceOf(TimeoutError);
    expect(popup.closed).toBe(true);
    expect(client.getSnapshot()).toMatchObject({ status: 'error', isAuthenticated: false });
    client.destroy();
  });

  it("takes the callback page's message from the app's window only from the app's origin", async () => {
    const { client, messages, delays, answerFor } = popupClient();
    // Stays at the authorization server (cross-origin) as far as polling can tell.
    let authorization: URL | undefined;
    const popup = {
      closed: false,
      location: {
        get href(): string {
          throw new DOMException('Blocked a frame', 'SecurityError');
        },
        set href(url: string) {
          authorization = new URL(url);
        },
      },
      close: () => void (popup.closed = true),
    };
    const login = client.loginWithPopup({}, { popup });
    await vi.waitFor(() => expect(delays()).toContain(POLL_MS));
    const url = `${ORIGIN}/callback?code=c&state=${authorization!.searchParams.get('state')}`;
    const post = (origin: string) => {
      for (const listener of messages) {
        (listener as (event: unknown) => void)({
          origin,
          source: popup,
          data: { type: 'grantflow:popup-callback', url },
        });
      }
    };
    post('https://evil.example');
    expect(popup.closed).toBe(false);
    answerFor(authorization!);
    post(ORIGIN);
    await expect(login).resolves.toEqual({ appState: undefined });
    expect(popup.closed).toBe(true);
    client.destroy();
  });

  it('takes the app’s window from the first click even without a window of its own to listen on', async () => {
    const { client, messages, poll } = popupClient({ host: false });
    const popup = appWindow();
    const login = client.loginWithPopup({}, { popup });
    await poll(popup);
    await expect(login).resolves.toEqual({ appState: undefined });
    expect(messages.size).toBe(0);
    client.destroy();
  });

  it('takes a limit of 0 as none given, as Auth0’s SDK does: the module’s applies', async () => {
    const { client, delays } = popupClient({ moduleTimeout: 60 });
    const popup = appWindow();
    void client.loginWithPopup({}, { popup, timeoutInSeconds: 0 }).catch(() => undefined);
    await vi.waitFor(() => expect(delays()).toContain(60_000));
    expect(delays()).not.toContain(0);
    client.destroy();
  });

  it('opens its own window when the app’s window.open gave none (popup: null), with this call’s limit', async () => {
    const own = { closed: false, location: { href: 'about:blank' }, close: () => void (own.closed = true) };
    const { client, opened, delays, withDelay, fire } = popupClient({ own });
    const login = client.loginWithPopup({}, { popup: null, timeoutInSeconds: 7 });
    await vi.waitFor(() => expect(delays()).toContain(7000));
    expect(opened).toEqual(['']);
    fire(withDelay(7000)[0]!);
    await expect(login).rejects.toBeInstanceOf(TimeoutError);
    expect(own.closed).toBe(true);
    client.destroy();
  });
});

describe('getAccessTokenWithPopup(options, { popup, timeoutInSeconds })', () => {
  it("gets the token in the app's own window", async () => {
    const { client, opened, poll } = popupClient();
    const popup = appWindow();
    const token = client.getAccessTokenWithPopup({ audience: 'https://billing.example' }, { popup });
    await poll(popup);
    await expect(token).resolves.toBe('token for https://billing.example');
    expect(opened).toEqual([]);
    expect(popup.closed).toBe(true);
    client.destroy();
  });

  it.each([
    [
      'loginWithPopup',
      (client: ReturnType<typeof popupClient>['client'], config: object) => client.loginWithPopup({}, config),
    ],
    [
      'getAccessTokenWithPopup',
      (client: ReturnType<typeof popupClient>['client'], config: object) =>
        client.getAccessTokenWithPopup({}, config),
    ],
  ])(
    '%s waits timeoutInSeconds of this call, not the module’s, then closes the window',
    async (_name, call) => {
      const { client, delays, withDelay, fire } = popupClient({ moduleTimeout: 300 });
      const popup = {
        closed: false,
        location: { href: 'about:blank' },
        close: () => void (popup.closed = true),
      };
      const attempt = call(client, { popup, timeoutInSeconds: 7 });
      await vi.waitFor(() => expect(delays()).toContain(7000));
      expect(delays()).not.toContain(300_000);
      fire(withDelay(7000)[0]!);
      await expect(attempt).rejects.toBeInstanceOf(TimeoutError);
      expect(popup.closed).toBe(true);
      client.destroy();
    },
  );
});

describe("the popup's wait without a limit of the call", () => {
  const blank = () => {
    const popup = {
      closed: false,
      location: { href: 'about:blank' },
      close: () => void (popup.closed = true),
    };
    return popup;
  };

  it.each([
    [
      'loginWithPopup',
      (client: ReturnType<typeof popupClient>['client']) => client.loginWithPopup({}, { popup: blank() }),
    ],
    [
      'getAccessTokenWithPopup',
      (client: ReturnType<typeof popupClient>['client']) =>
        client.getAccessTokenWithPopup({}, { popup: blank() }),
    ],
  ])(
    "%s waits the client's authorizeTimeoutInSeconds when the module names none, as Auth0's SDK",
    async (_name, call) => {
      const { client, delays, withDelay, fire } = popupClient({
        moduleTimeout: undefined,
        options: { authorizeTimeoutInSeconds: 20 },
      });
      const attempt = call(client);
      await vi.waitFor(() => expect(delays()).toContain(20_000));
      expect(delays()).not.toContain(300_000);
      fire(withDelay(20_000)[0]!);
      await expect(attempt).rejects.toBeInstanceOf(TimeoutError);
      client.destroy();
    },
  );

  it.each([
    ["the module's limit over the client's", 60, { authorizeTimeoutInSeconds: 20 }, 60_000],
    ['300 s without either', undefined, {}, 300_000],
    [
      "300 s: timeout and httpTimeoutInSeconds bound requests, not the user's sign-in",
      undefined,
      { timeout: 5000, httpTimeoutInSeconds: 30 },
      300_000,
    ],
    [
      '300 s for an authorizeTimeoutInSeconds of 0, as Auth0 takes it',
      undefined,
      { authorizeTimeoutInSeconds: 0 },
      300_000,
    ],
  ])('takes %s', async (_name, moduleTimeout, options, wait) => {
    const { client, delays } = popupClient({ moduleTimeout, options });
    void client.loginWithPopup({}, { popup: blank() }).catch(() => undefined);
    await vi.waitFor(() => expect(delays()).toContain(wait));
    expect(delays().filter((ms) => ms > 100)).toEqual([wait]);
    client.destroy();
  });
});

describe('popup time limits that are no number of seconds a timer can wait', () => {
  const WHAT = 'timeoutInSeconds must be a number of seconds > 0 and < 2^31 ms';
  // Each would have timed the sign-in out at once (setTimeout fires at once for NaN, < 0 and >= 2^31 ms).
  const WRONG = [-1, Number.NaN, Infinity, 2 ** 31 / 1000, '60', null];

  it.each(WRONG)('are refused by popupWindow({ timeoutInSeconds: %o }) when it is made', (value) => {
    expect(() => popupWindow({ timeoutInSeconds: value as never })).toThrow(
      new TypeError(`popupWindow(): ${WHAT}`),
    );
  });

  it.each(WRONG)('reject a sign-in with { timeoutInSeconds: %o } before any window opens', async (value) => {
    const { client, opened, delays } = popupClient({ own: appWindow() as never });
    await expect(client.loginWithPopup({}, { timeoutInSeconds: value as never })).rejects.toThrow(
      new TypeError(WHAT),
    );
    await expect(client.getAccessTokenWithPopup({}, { timeoutInSeconds: value as never })).rejects.toThrow(
      new TypeError(WHAT),
    );
    expect(opened).toEqual([]);
    expect(delays()).toEqual([]);
    expect(client.getSnapshot().status).toBe('unauthenticated');
    client.destroy();
  });
});
