import { describe, expect, it } from 'vitest';
import { createAuthClient, memoryStorage, PopupClosedError, popupWindow } from '../src/index.js';

const ORIGIN = 'https://app.example';
const ISSUER = 'https://idp.example/';
const NOW = 1_700_000_000_000;

const jwt = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

/**
 * A browser that, as real ones do, gives every `window.open` with the popup's name the one window; the
 * user signs in there when the test says so.
 */
function doubleClickClient() {
  const navigations: URL[] = [];
  let href = 'about:blank';
  const popup = {
    closed: false,
    location: {
      get href() {
        return href;
      },
      set href(url: string) {
        navigations.push(new URL(url));
        href = url;
      },
    },
    close: () => void (popup.closed = true),
  };
  /** The user signs in at the authorization request the window shows now. */
  const signIn = () => {
    const request = navigations.at(-1)!;
    const callback = new URL(request.searchParams.get('redirect_uri')!);
    // The code stands for the request's nonce, which the token endpoint puts in the ID token.
    callback.searchParams.set('code', request.searchParams.get('nonce')!);
    callback.searchParams.set('state', request.searchParams.get('state')!);
    href = callback.href;
  };
  const transactions = memoryStorage();
  const client = createAuthClient({
    issuer: ISSUER,
    clientId: 'app',
    redirectUri: `${ORIGIN}/callback`,
    endpoints: { authorization: `${ISSUER}authorize`, token: `${ISSUER}token` },
    now: () => NOW,
    navigate: () => undefined,
    fetch: async (_url, init) => {
      const nonce = new URLSearchParams(String(init?.body)).get('code');
      return Response.json({
        access_token: 'at',
        token_type: 'Bearer',
        expires_in: 300,
        id_token: jwt({ iss: ISSUER, sub: 'u', aud: 'app', iat: NOW / 1000, exp: NOW / 1000 + 300, nonce }),
      });
    },
    popup: popupWindow({ timeoutInSeconds: 30 }),
    environment: {
      window: {
        opener: null,
        open: () => popup,
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
      },
      location: { href: `${ORIGIN}/`, assign: () => undefined },
      sessionStorage: undefined,
      localStorage: undefined,
    },
    transactionStorage: transactions,
  });
  return { client, navigations, popup, signIn, transactions };
}

const settled = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

describe('a second popup sign-in while one runs (a double click)', () => {
  it('takes the window over: one sign-in, the first call ends popup_closed, the session shows no error', async () => {
    const { client, navigations, popup, signIn, transactions } = doubleClickClient();
    const first = settled(client.loginWithPopup({ appState: 'first' }));
    const second = client.loginWithPopup({ appState: 'second' });
    const { error } = (await first) as { error: unknown };
    expect(error).toBeInstanceOf(PopupClosedError);
    expect((error as Error).message).toMatch(/newer popup sign-in took over/);
    // Only the newer sign-in navigated the window, and the older one left it open for it.
    await expect.poll(() => navigations.length).toBe(1);
    expect(popup.closed).toBe(false);

    signIn();
    await expect(second).resolves.toEqual({ appState: 'second' });
    expect(navigations).toHaveLength(1);
    expect(popup.closed).toBe(true);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'u' } });
    expect(client.getSnapshot().error).toBeUndefined();
    // Neither sign-in left its login transaction behind.
    expect([...(await transactions.keys!())].filter((key) => key.includes('.tx.'))).toEqual([]);
    client.destroy();
  });

  it("keeps the older sign-in's time limit from closing the window the newer one uses", async () => {
    const { client, navigations, popup, signIn } = doubleClickClient();
    const older = settled(client.getAccessTokenWithPopup({}, { timeoutInSeconds: 0.2 }));
    const newer = client.loginWithPopup({ appState: 'newer' });
    expect(((await older) as { error: unknown }).error).toBeInstanceOf(PopupClosedError);
    await expect.poll(() => navigations.length).toBe(1);
    // Well past the older call's 0.2 s: the window is still the newer sign-in's.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(popup.closed).toBe(false);
    signIn();
    await expect(newer).resolves.toEqual({ appState: 'newer' });
    client.destroy();
  });

  it('lets two sign-ins in windows of their own (the app opened each) run side by side', async () => {
    const a = doubleClickClient();
    const b = doubleClickClient();
    const first = a.client.loginWithPopup({ appState: 'a' }, { popup: a.popup });
    const second = a.client.loginWithPopup({ appState: 'b' }, { popup: b.popup });
    await expect.poll(() => [a.navigations.length, b.navigations.length]).toEqual([1, 1]);
    a.signIn();
    b.signIn();
    await expect(Promise.all([first, second])).resolves.toEqual([{ appState: 'a' }, { appState: 'b' }]);
    a.client.destroy();
    b.client.destroy();
  });
});
