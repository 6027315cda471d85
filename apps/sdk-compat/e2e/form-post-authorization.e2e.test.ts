import { DEFAULT_CLIENT_ID } from '@grantflow/dev-idp';
import { useBrowser } from '@grantflow/demo/e2e/browser.ts';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import {
  authorizationFields,
  authorizationUrl,
  expectOutput,
  nextNavigationTo,
  signInAtIdp,
} from './sdk-page.js';

const compat = inject('compat');
const browser = useBrowser();
const app = compat.pages['auth0-spa-js'];

const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/** An auto-submitting form, as an app on another site would post it. */
function crossSiteForm(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('');
  return `<form method="post" action="${escapeHtml(action)}">${inputs}</form>`;
}

/** Posts the form from about:blank: its origin is opaque, so the POST is cross-site for the IdP's cookies. */
async function postFromAnotherSite(page: Page, action: string, fields: Record<string, string>): Promise<URL> {
  await page.goto('about:blank');
  await page.setContent(crossSiteForm(action, fields));
  return nextNavigationTo(page, app, () =>
    page.locator('form').evaluate((form: HTMLFormElement) => form.submit()),
  );
}

async function signedInPage(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(app);
  await page.click('#login');
  await page.waitForURL((url) => url.href.startsWith(compat.issuer));
  await signInAtIdp(page);
  await expectOutput(page, 'status', 'signed-in');
  return page;
}

describe('the dev IdP endpoints posted to from another site in Chromium', () => {
  it('authorization (OIDC Core §3.1.2.1): prompt=none finds the session and answers with a code', async () => {
    const page = await signedInPage();
    const redirect = await postFromAnotherSite(
      page,
      new URL('authorize', compat.issuer).href,
      authorizationFields(app, { prompt: 'none' }),
    );
    expect(redirect.searchParams.get('error')).toBeNull();
    expect(redirect.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('end-session (RP-Initiated Logout §2): signs out and returns to the app with the state', async () => {
    const page = await signedInPage();
    const discovery = (await (
      await fetch(new URL('.well-known/openid-configuration', compat.issuer))
    ).json()) as { end_session_endpoint: string };
    const back = await postFromAnotherSite(page, discovery.end_session_endpoint, {
      client_id: DEFAULT_CLIENT_ID,
      post_logout_redirect_uri: app,
      state: 'bye',
    });
    expect(back.searchParams.get('state')).toBe('bye');

    const silent = authorizationUrl(compat.issuer, app, { prompt: 'none' });
    const redirect = await nextNavigationTo(page, app, () => page.goto(silent.href));
    expect(redirect.searchParams.get('error')).toBe('login_required');
  });
});
