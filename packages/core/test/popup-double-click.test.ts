import { describe, expect, it, onTestFinished } from 'vitest';
import { createAuthClient, memoryStorage, PopupClosedError, popupWindow } from '../src/index.js';
import { OFFLINE_ISSUER as ISSUER, OFFLINE_NOW as NOW, offlineIdToken, popupOpenerPage } from './support.js';

const ORIGIN = 'https://app.example';

/**
 * A page whose browser, as real ones do, gives every `window.open` with the popup's name the one window;
 * the user signs in there when the test says so.
 */
function browserPage() {
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
  return { navigations, popup, signIn };
}

function popupClientOn({ popup }: ReturnType<typeof browserPage>) {
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
        id_token: offlineIdToken({ nonce }),
      });
    },
    popup: popupWindow({ timeoutInSeconds: 30 }),
    environment: popupOpenerPage(popup),
    transactionStorage: transactions,
  });
  onTestFinished(() => client.destroy());
  const pendingLogins = async () => [...(await transactions.keys!())].filter((key) => key.includes('.tx.'));
  return { client, pendingLogins };
}

function doubleClickClient() {
  const page = browserPage();
  return { ...page, ...popupClientOn(page) };
}

const stateOf = (url: URL | undefined) => url?.searchParams.get('state');
/** Past an older sign-in's 0.2 s limit, in real time (its timers are the environment's). */
const pastTheOlderLimit = () => new Promise((resolve) => setTimeout(resolve, 600));

const settled = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

describe('a second popup sign-in while one runs (a double click)', () => {
  it('takes the window over: one sign-in, the first call ends popup_closed, the session shows no error', async () => {
    const { client, navigations, popup, signIn, pendingLogins } = doubleClickClient();
    const first = settled(client.loginWithPopup({ appState: 'first' }));
    const second = client.loginWithPopup({ appState: 'second' });
    const { error } = (await first) as { error: unknown };
    expect(error).toBeInstanceOf(PopupClosedError);
    expect((error as Error).message).toMatch(/newer popup sign-in took over/);
    // The session shows the sign-in under way, not the older call's end.
    expect(client.getSnapshot()).toMatchObject({ status: 'authorizing', error: undefined });
    // Only the newer sign-in navigated the window, and the older one left it open for it.
    await expect.poll(() => navigations.length).toBe(1);
    expect(popup.closed).toBe(false);

    signIn();
    await expect(second).resolves.toEqual({ appState: 'second' });
    expect(navigations).toHaveLength(1);
    expect(popup.closed).toBe(true);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'u' } });
    expect(client.getSnapshot().error).toBeUndefined();
    expect(await pendingLogins()).toEqual([]);
  });

  it('takes over a window already at the sign-in page: the older call ends at once, its time limit with it', async () => {
    const { client, navigations, popup, signIn, pendingLogins } = doubleClickClient();
    const older = settled(client.getAccessTokenWithPopup({}, { timeoutInSeconds: 0.2 }));
    await expect.poll(() => navigations.length).toBe(1);
    const newer = client.loginWithPopup({ appState: 'newer' });
    expect(((await older) as { error: unknown }).error).toBeInstanceOf(PopupClosedError);
    await expect.poll(() => navigations.length).toBe(2);
    expect(stateOf(navigations[1])).not.toBe(stateOf(navigations[0]));
    await pastTheOlderLimit();
    expect(popup.closed).toBe(false);
    signIn();
    await expect(newer).resolves.toEqual({ appState: 'newer' });
    expect(client.getSnapshot().error).toBeUndefined();
    expect(await pendingLogins()).toEqual([]);
  });

  it('leaves a signed-in session without an error while the newer sign-in runs', async () => {
    const { client, popup, signIn } = doubleClickClient();
    const login = client.loginWithPopup();
    await expect.poll(() => popup.location.href).toMatch(/authorize/);
    signIn();
    await login;
    popup.closed = false;
    const older = settled(client.loginWithPopup({ appState: 'older' }, { timeoutInSeconds: 0.2 }));
    const newer = client.loginWithPopup({ appState: 'newer' });
    expect(((await older) as { error: unknown }).error).toBeInstanceOf(PopupClosedError);
    await pastTheOlderLimit();
    expect(client.getSnapshot()).toMatchObject({ user: { sub: 'u' }, error: undefined });
    signIn();
    await expect(newer).resolves.toEqual({ appState: 'newer' });
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
  });

  it('is page-wide: a second client on the page takes over the window the first one uses', async () => {
    const page = browserPage();
    const one = popupClientOn(page);
    const other = popupClientOn(page);
    const older = settled(one.client.loginWithPopup({}, { timeoutInSeconds: 0.2 }));
    await expect.poll(() => page.navigations.length).toBe(1);
    const newer = other.client.loginWithPopup({ appState: 'other' });
    expect(((await older) as { error: unknown }).error).toBeInstanceOf(PopupClosedError);
    await pastTheOlderLimit();
    expect(page.popup.closed).toBe(false);
    page.signIn();
    await expect(newer).resolves.toEqual({ appState: 'other' });
    expect(await one.pendingLogins()).toEqual([]);
  });

  it('lets two sign-ins in windows of their own (the app opened each) run side by side', async () => {
    const a = doubleClickClient();
    const b = browserPage();
    const first = a.client.loginWithPopup({ appState: 'a' }, { popup: a.popup });
    const second = a.client.loginWithPopup({ appState: 'b' }, { popup: b.popup });
    await expect.poll(() => [a.navigations.length, b.navigations.length]).toEqual([1, 1]);
    a.signIn();
    b.signIn();
    await expect(Promise.all([first, second])).resolves.toEqual([{ appState: 'a' }, { appState: 'b' }]);
  });
});
