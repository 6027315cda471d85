import { describe, expect, it } from 'vitest';
import { POPUP_MESSAGE_TYPE } from '../src/internal.js';
import {
  createAuthClient,
  memoryStorage,
  PopupClosedError,
  popupWindow,
  type AuthClientOptions,
  type Endpoints,
  type StorageAdapter,
} from '../src/index.js';
import { popupOpenerPage } from './support.js';

const ORIGIN = 'https://app.example';
const REDIRECT = `${ORIGIN}/callback`;

/*
 * A popup's page starts with a copy of its opener's sessionStorage, so both see the login
 * transactions: here one `transactionStorage` shared by an opener client and a popup page client.
 */
const base = (transactionStorage: StorageAdapter): AuthClientOptions => ({
  issuer: 'https://idp.example/',
  clientId: 'app',
  redirectUri: REDIRECT,
  endpoints: { authorization: 'https://idp.example/authorize', token: 'https://idp.example/token' },
  fetch: async () => {
    throw new TypeError('no request expected');
  },
  navigate: () => undefined,
  transactionStorage,
  popup: popupWindow(),
});

/** The app's tab: its popup sign-in waits until the test closes the popup. */
function opener(transactionStorage: StorageAdapter, endpoints: Partial<Endpoints> = {}) {
  const popup = {
    closed: false,
    location: { href: 'about:blank' },
    close: () => void (popup.closed = true),
  };
  const options = base(transactionStorage);
  const client = createAuthClient({
    ...options,
    endpoints: { ...options.endpoints!, ...endpoints },
    environment: popupOpenerPage(popup),
  });
  return { client, popup };
}

/** The redirect page inside a window that has an opener (a popup), recording what it posts. */
function popupPage(transactionStorage: StorageAdapter, href: string, hasOpener = true) {
  const posted: [unknown, string][] = [];
  const client = createAuthClient({
    ...base(transactionStorage),
    environment: {
      window: {
        opener: hasOpener ? { postMessage: (message, origin) => void posted.push([message, origin]) } : null,
        open: () => null,
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
      },
      location: { href, assign: () => undefined },
      sessionStorage: undefined,
      localStorage: undefined,
    },
  });
  return { client, posted };
}

const stateOf = (url: string) => new URL(url).searchParams.get('state')!;

describe('the callback page inside a sign-in popup', () => {
  it("hands a popup sign-in's callback to the opener instead of spending the code", async () => {
    const transactions = memoryStorage();
    const app = opener(transactions);
    const signingIn = app.client.loginWithPopup();
    await expect.poll(() => app.popup.location.href).toMatch(/^https:\/\/idp\.example\/authorize\?/);
    const callback = `${REDIRECT}?code=c&state=${stateOf(app.popup.location.href)}`;
    const page = popupPage(transactions, callback);
    await expect(page.client.forwardPopupCallback(callback)).resolves.toBe(true);
    expect(page.posted).toEqual([[{ type: POPUP_MESSAGE_TYPE, url: callback }, ORIGIN]]);
    app.popup.closed = true;
    await expect(signingIn).rejects.toBeInstanceOf(PopupClosedError);
    app.client.destroy();
    page.client.destroy();
  });

  it('leaves a redirect sign-in of its own window alone, though the window has an opener', async () => {
    const transactions = memoryStorage();
    const callback = (state: string) => `${REDIRECT}?code=c&state=${state}`;
    const page = popupPage(transactions, `${ORIGIN}/`);
    const state = stateOf(await page.client.buildAuthorizeUrl());
    await expect(page.client.forwardPopupCallback(callback(state))).resolves.toBe(false);
    expect(page.posted).toEqual([]);
    // The transaction is still there: this page's own callback handling spends it.
    expect(transactions.get(`grantflow.app.tx.${state}`)).toBeTruthy();
    page.client.destroy();
  });

  it('hands over a callback whose transaction it cannot read, leaving the checks to the opener', async () => {
    const transactions = memoryStorage();
    transactions.set('grantflow.app.tx.unreadable', '{not json');
    for (const state of ['unknown', 'unreadable']) {
      const callback = `${REDIRECT}?code=c&state=${state}`;
      const page = popupPage(transactions, callback);
      await expect(page.client.forwardPopupCallback(callback)).resolves.toBe(true);
      expect(page.posted).toEqual([[{ type: POPUP_MESSAGE_TYPE, url: callback }, ORIGIN]]);
      page.client.destroy();
    }
  });

  it('does nothing where there is no window (a server, a worker)', async () => {
    const callback = `${REDIRECT}?code=c&state=s`;
    const client = createAuthClient({
      ...base(memoryStorage()),
      environment: { window: undefined, sessionStorage: undefined, localStorage: undefined },
    });
    await expect(client.forwardPopupCallback(callback)).resolves.toBe(false);
    client.destroy();
  });

  it('closes the popup when the sign-in fails before it gets there', async () => {
    const app = opener(memoryStorage(), { requirePushedAuthorizationRequests: true });
    await expect(app.client.loginWithPopup()).rejects.toThrow(
      'the server requires pushed authorization requests but names no endpoint',
    );
    expect(app.popup).toMatchObject({ closed: true, location: { href: 'about:blank' } });
    app.client.destroy();
  });

  it('does nothing without an opener or for a URL that is not the callback', async () => {
    const callback = `${REDIRECT}?code=c&state=s`;
    const alone = popupPage(memoryStorage(), callback, false);
    await expect(alone.client.forwardPopupCallback(callback)).resolves.toBe(false);
    const page = popupPage(memoryStorage(), `${ORIGIN}/elsewhere?code=c&state=s`);
    await expect(page.client.forwardPopupCallback(`${ORIGIN}/elsewhere?code=c&state=s`)).resolves.toBe(false);
    expect([...alone.posted, ...page.posted]).toEqual([]);
    alone.client.destroy();
    page.client.destroy();
  });
});
