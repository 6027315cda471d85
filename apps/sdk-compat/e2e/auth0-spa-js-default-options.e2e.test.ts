import { DEFAULT_CLIENT_ID } from '@grantflow/dev-idp';
import { useBrowser } from '@grantflow/demo/e2e/browser.ts';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { alice, expectOutput, recordTokenExchanges, signInAtIdp, text } from './sdk-page.js';

const compat = inject('compat');
const browser = useBrowser();
const pageUrl = compat.pages['auth0-spa-js-default'];

interface Authorization {
  prompt: string | null;
  responseMode: string | null;
  /** Asked from a frame inside the app's page: the SDK's hidden iframe. */
  fromIframe: boolean;
}

/** Every request to the IdP's authorization endpoint the context makes, from any page or frame. */
function recordAuthorizations(context: BrowserContext): Authorization[] {
  const seen: Authorization[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (`${url.origin}/` !== compat.issuer || url.pathname !== '/authorize') return;
    seen.push({
      prompt: url.searchParams.get('prompt'),
      responseMode: url.searchParams.get('response_mode'),
      fromIframe: request.frame().parentFrame() !== null,
    });
  });
  return seen;
}

const REDIRECT = { prompt: null, responseMode: 'query', fromIframe: false };
const SILENT = { prompt: 'none', responseMode: 'web_message', fromIframe: true };

async function signInWithRedirect(page: Page): Promise<void> {
  await page.goto(pageUrl);
  await expectOutput(page, 'status', 'signed-out');
  await page.click('#login');
  await page.waitForURL((url) => url.href.startsWith(compat.issuer));
  await signInAtIdp(page);
  await expectOutput(page, 'status', 'signed-in');
}

async function callApiWithNewToken(page: Page): Promise<void> {
  await page.evaluate(() => (document.getElementById('api')!.textContent = ''));
  await page.click('#refresh');
}

describe('an unchanged auth0-spa-js app with its default options (no refresh tokens, memory cache)', () => {
  it('gets a new access token through a hidden iframe (web_message) that apps/api accepts', async () => {
    const context = await browser.newContext();
    const exchanges = recordTokenExchanges(context);
    const authorizations = recordAuthorizations(context);
    const page = await context.newPage();
    await signInWithRedirect(page);
    expect(authorizations).toEqual([REDIRECT]);

    await callApiWithNewToken(page);
    await expectOutput(page, 'api', '200');
    expect(authorizations.slice(1)).toEqual([SILENT]);
    await expect.poll(() => exchanges.length).toBe(2);
    const [login, silent] = exchanges;
    expect(silent?.grantType).toBe('authorization_code');
    expect(silent?.accessToken).toEqual(expect.any(String));
    expect(silent?.accessToken).not.toBe(login?.accessToken);
    // The default options ask for no refresh token and none is spent.
    expect(exchanges.map((exchange) => exchange.spent)).toEqual([null, null]);
  });

  it('restores the session on a page load through checkSession (iframe, web_message)', async () => {
    const context = await browser.newContext();
    const authorizations = recordAuthorizations(context);
    const page = await context.newPage();
    await signInWithRedirect(page);

    // Tokens live in memory only: after the reload only the IdP's session can sign the user in.
    await page.reload();
    await expectOutput(page, 'status', 'signed-in');
    expect(await text(page, 'user')).toBe(alice.email);
    expect(authorizations.slice(1)).toEqual([SILENT]);
    await callApiWithNewToken(page);
    await expectOutput(page, 'api', '200');
  });

  it('signs in with loginWithPopup (web_message) and calls apps/api', async () => {
    const context = await browser.newContext();
    const authorizations = recordAuthorizations(context);
    const page = await context.newPage();
    await page.goto(pageUrl);
    await expectOutput(page, 'status', 'signed-out');

    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#login-popup')]);
    await popup.waitForURL((url) => url.href.startsWith(compat.issuer));
    await signInAtIdp(popup, { popup: true });
    await expectOutput(page, 'status', 'signed-in');
    expect(await text(page, 'user')).toBe(alice.email);
    expect(page.url()).toBe(pageUrl);
    expect(authorizations).toEqual([{ prompt: null, responseMode: 'web_message', fromIframe: false }]);
    await page.click('#call-api');
    await expectOutput(page, 'api', '200');
  });

  it('leaves the popup to the SDK: with closePopup false it is still open after the sign-in, as at Auth0', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${pageUrl}?closePopup=false`);
    await expectOutput(page, 'status', 'signed-out');

    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#login-popup')]);
    await popup.waitForURL((url) => url.href.startsWith(compat.issuer));
    await signInAtIdp(popup, { until: expectOutput(page, 'status', 'signed-in') });
    // The IdP's page posted the response and left the window to the app.
    expect(await popup.evaluate(() => window.closed)).toBe(false);
    await popup.close();
    await page.click('#call-api');
    await expectOutput(page, 'api', '200');
  });

  it('signs out through /v2/logout?client_id&returnTo; the IdP then answers login_required', async () => {
    const context = await browser.newContext();
    const authorizations = recordAuthorizations(context);
    const page = await context.newPage();
    await signInWithRedirect(page);

    const logout = page.waitForRequest((request) => request.url().startsWith(compat.issuer + 'v2/logout'));
    await page.click('#logout');
    const logoutUrl = new URL((await logout).url());
    expect(logoutUrl.searchParams.get('client_id')).toBe(DEFAULT_CLIENT_ID);
    expect(logoutUrl.searchParams.get('returnTo')).toBe(pageUrl);
    await page.waitForURL(pageUrl);
    await expectOutput(page, 'status', 'signed-out');

    // A silent authorization finds no session at the IdP.
    await page.click('#refresh');
    await expect.poll(() => text(page, 'error'), { timeout: 30_000 }).toBe('login_required');
    expect(authorizations.slice(1)).toEqual([SILENT]);
  });

  it('shows signed out on the next page load once the session ended at /v2/logout elsewhere', async () => {
    const context = await browser.newContext();
    const authorizations = recordAuthorizations(context);
    const page = await context.newPage();
    await signInWithRedirect(page);

    // The IdP's session ends without this app's logout(): the SDK still remembers a signed-in user,
    // so its checkSession() at the next page load asks the IdP.
    const logout = new URL('v2/logout', compat.issuer);
    logout.search = new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, returnTo: pageUrl }).toString();
    await page.goto(logout.href);
    await page.waitForURL(pageUrl);
    await expectOutput(page, 'status', 'signed-out');
    expect(authorizations.slice(1)).toEqual([SILENT]);
  });
});
