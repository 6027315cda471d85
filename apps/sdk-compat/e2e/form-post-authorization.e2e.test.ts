import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_CLIENT_ID } from '@grantflow/dev-idp';
import { useBrowser } from '@grantflow/demo/e2e/browser.ts';
import { describe, expect, inject, it } from 'vitest';
import { expectOutput, signInAtIdp } from './sdk-page.js';

const compat = inject('compat');
const browser = useBrowser();

const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/** An auto-submitting form, as an app on another site would post it (OIDC Core §3.1.2.1). */
function silentAuthorizationForm(redirectUri: string): string {
  const verifier = randomBytes(32).toString('base64url');
  const fields = {
    client_id: DEFAULT_CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid',
    state: randomBytes(16).toString('base64url'),
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    prompt: 'none',
  };
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('');
  return `<form method="post" action="${escapeHtml(new URL('authorize', compat.issuer).href)}">${inputs}</form>`;
}

describe('an authorization request posted from another site in Chromium', () => {
  it('finds the dev IdP session: prompt=none answers with a code, not login_required', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const app = compat.pages['auth0-spa-js'];
    await page.goto(app);
    await page.click('#login');
    await page.waitForURL((url) => url.href.startsWith(compat.issuer));
    await signInAtIdp(page);
    await expectOutput(page, 'status', 'signed-in');

    // about:blank has an opaque origin: the POST that leaves it is cross-site for the IdP's cookies.
    await page.goto('about:blank');
    await page.setContent(silentAuthorizationForm(app));
    const answer = page.waitForRequest(
      (request) => request.isNavigationRequest() && request.url().startsWith(app),
    );
    await page.locator('form').evaluate((form: HTMLFormElement) => form.submit());
    const redirect = new URL((await answer).url());
    expect(redirect.searchParams.get('error')).toBeNull();
    expect(redirect.searchParams.get('code')).toEqual(expect.any(String));
  });
});
