import { describe, expect, it } from 'vitest';
import { createAuthClient, memoryStorage, popupWindow, type StorageAdapter } from '../src/index.js';
import { offlineClient } from './support.js';

const ELSEWHERE = 'https://app.example/account/linked';
const noRequest = () => Promise.reject(new TypeError('no request expected'));

/** A signed-out client that records where its logins go, over a transaction storage the test can see. */
function client(transactionStorage: StorageAdapter = memoryStorage()) {
  const navigations: string[] = [];
  const world = offlineClient({}, noRequest, {
    navigate: (url) => void navigations.push(url),
    transactionStorage,
  });
  /** Starts a redirect login; returns its `state`. */
  const login = async (redirect_uri?: string) => {
    await world.client.loginWithRedirect(redirect_uri ? { authorizationParams: { redirect_uri } } : {});
    return new URL(navigations.at(-1)!).searchParams.get('state')!;
  };
  return { ...world, login };
}

describe('isLoginCallback(url)', () => {
  it('is true at the redirect_uri a login named itself, for its state, with a code or an error', async () => {
    const { client: auth, login } = client();
    const state = await login(ELSEWHERE);
    await expect(auth.isLoginCallback(`${ELSEWHERE}?code=c&state=${state}`)).resolves.toBe(true);
    await expect(auth.isLoginCallback(`${ELSEWHERE}?error=access_denied&state=${state}`)).resolves.toBe(true);
    // The app's own query and fragment stay the app's.
    await expect(auth.isLoginCallback(`${ELSEWHERE}?tab=2&code=c&state=${state}#top`)).resolves.toBe(true);
    auth.destroy();
  });

  it("is true at the client's redirectUri for a login that named none", async () => {
    const { client: auth, login } = client();
    const state = await login();
    await expect(auth.isLoginCallback(`https://app.example/callback?code=c&state=${state}`)).resolves.toBe(
      true,
    );
    auth.destroy();
  });

  it('is false at any other path or origin than the one its login named', async () => {
    const { client: auth, login } = client();
    const own = await login(ELSEWHERE);
    const plain = await login();
    for (const url of [
      `https://app.example/callback?code=c&state=${own}`,
      `${ELSEWHERE}?code=c&state=${plain}`,
      `https://evil.example/account/linked?code=c&state=${own}`,
      `${ELSEWHERE}/more?code=c&state=${own}`,
    ]) {
      await expect(auth.isLoginCallback(url), url).resolves.toBe(false);
    }
    auth.destroy();
  });

  it('is false without a pending login for the state: unknown, spent, or no state at all', async () => {
    const { client: auth, login } = client();
    const state = await login(ELSEWHERE);
    await expect(auth.isLoginCallback(`${ELSEWHERE}?code=c&state=unknown`)).resolves.toBe(false);
    await expect(auth.isLoginCallback(`${ELSEWHERE}?code=c`)).resolves.toBe(false);
    await expect(auth.isLoginCallback(`${ELSEWHERE}?state=${state}`)).resolves.toBe(false);
    // Handled once (here refused by the offline server): the state is spent.
    await auth.handleRedirectCallback(`${ELSEWHERE}?code=c&state=${state}`).catch(() => undefined);
    await expect(auth.isLoginCallback(`${ELSEWHERE}?code=c&state=${state}`)).resolves.toBe(false);
    auth.destroy();
  });

  it('is false for a repeated parameter, a URL that is no absolute URL, or an unreadable transaction', async () => {
    const storage = memoryStorage();
    const { client: auth, login } = client(storage);
    const state = await login(ELSEWHERE);
    await expect(auth.isLoginCallback(`${ELSEWHERE}?code=c&state=${state}&state=${state}`)).resolves.toBe(
      false,
    );
    await expect(auth.isLoginCallback(`/account/linked?code=c&state=${state}`)).resolves.toBe(false);
    storage.set(`grantflow.app.tx.${state}`, JSON.stringify({ code_verifier: 'v', redirect_uri: 'no url' }));
    await expect(auth.isLoginCallback(`${ELSEWHERE}?code=c&state=${state}`)).resolves.toBe(false);
    storage.set(`grantflow.app.tx.${state}`, '{');
    await expect(auth.isLoginCallback(`${ELSEWHERE}?code=c&state=${state}`)).resolves.toBe(false);
    auth.destroy();
  });

  it("is false for a popup's login: the window that opened the popup completes it", async () => {
    const transactionStorage = memoryStorage();
    let authorize: URL | undefined;
    const popup = {
      closed: false,
      location: {
        get href() {
          return 'about:blank';
        },
        set href(url: string) {
          authorize = new URL(url);
          popup.closed = true;
        },
      },
      close: () => undefined,
    };
    const auth = createAuthClient({
      issuer: 'https://idp.example/',
      clientId: 'app',
      redirectUri: 'https://app.example/callback',
      endpoints: { authorization: 'https://idp.example/authorize', token: 'https://idp.example/token' },
      popup: popupWindow(),
      transactionStorage,
      environment: {
        window: { opener: null, open: () => popup, addEventListener() {}, removeEventListener() {} },
        sessionStorage: undefined,
        localStorage: undefined,
      },
    });
    const peek = new Promise<boolean>((resolve) => {
      const original = transactionStorage.set;
      transactionStorage.set = (key, value) => {
        original(key, value);
        // While the popup is open its transaction is pending: ask then.
        const state = key.slice('grantflow.app.tx.'.length);
        resolve(auth.isLoginCallback(`${ELSEWHERE}?code=c&state=${state}`));
      };
    });
    void auth.loginWithPopup({ authorizationParams: { redirect_uri: ELSEWHERE } }).catch(() => undefined);
    await expect(peek).resolves.toBe(false);
    expect(authorize?.searchParams.get('redirect_uri')).toBe(ELSEWHERE);
    auth.destroy();
  });
});
