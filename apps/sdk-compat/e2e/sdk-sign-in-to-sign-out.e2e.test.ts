import { DEFAULT_CLIENT_ID } from '@grantflow/dev-idp';
import { useBrowser } from '@grantflow/demo/e2e/browser.ts';
import { describe, expect, inject, it } from 'vitest';
import { alice, expectOutput, recordTokenExchanges, signInAtIdp, text } from './sdk-page.js';

const compat = inject('compat');
const browser = useBrowser();

async function refreshTokenAnswer(refreshToken: string): Promise<string | undefined> {
  const response = await fetch(new URL('oauth/token', compat.issuer), {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: DEFAULT_CLIENT_ID,
      refresh_token: refreshToken,
    }),
  });
  return ((await response.json()) as { error?: string }).error;
}

describe.each(['auth0-spa-js', 'auth0-vue', 'oidc-client-ts'] as const)('an unchanged %s app', (sdk) => {
  it('signs in at the dev IdP, calls apps/api, refreshes with rotation and signs out', async () => {
    const context = await browser.newContext();
    const exchanges = recordTokenExchanges(context);
    const page = await context.newPage();
    await page.goto(compat.pages[sdk]);
    await expectOutput(page, 'status', 'signed-out');

    await page.click('#login');
    await page.waitForURL((url) => url.href.startsWith(compat.issuer));
    await signInAtIdp(page);
    await expectOutput(page, 'status', 'signed-in');
    expect(await text(page, 'user')).toBe(alice.email);
    await page.click('#call-api');
    await expectOutput(page, 'api', '200');

    for (const round of [1, 2]) {
      await page.evaluate(() => (document.getElementById('api')!.textContent = ''));
      await page.click('#refresh');
      await expectOutput(page, 'api', '200');
      await expect.poll(() => exchanges.filter((e) => e.grantType === 'refresh_token').length).toBe(round);
    }
    const [code, first, second] = exchanges;
    expect(code?.grantType).toBe('authorization_code');
    // Rotation: each refresh spends the token the previous answer issued and gets a new one.
    expect(first?.spent).toBe(code?.issued);
    expect(second?.spent).toBe(first?.issued);
    expect(new Set([code?.issued, first?.issued, second?.issued]).size).toBe(3);

    const logout = page.waitForRequest(
      (request) => request.url().startsWith(compat.issuer) && /logout/.test(request.url()),
    );
    await page.click('#logout');
    const logoutUrl = new URL((await logout).url());
    if (sdk !== 'oidc-client-ts') {
      expect(logoutUrl.pathname).toBe('/v2/logout');
      expect(logoutUrl.searchParams.get('returnTo')).toBe(compat.pages[sdk]);
      expect(logoutUrl.searchParams.get('client_id')).toBe(DEFAULT_CLIENT_ID);
    }
    await page.waitForURL(compat.pages[sdk]);
    await expectOutput(page, 'status', 'signed-out');
    if (sdk === 'oidc-client-ts') {
      // revokeTokensOnSignout revoked the JWT access token, then the refresh token, before leaving.
      expect(await refreshTokenAnswer(second!.issued!)).toBe('invalid_grant');
    }

    // The IdP's session ended: signing in again asks for the password.
    await page.click('#login');
    await page.getByLabel('Password').waitFor({ timeout: 30_000 });
    // A rotated-out refresh token is refused (and, as reuse, revokes the grant).
    expect(await refreshTokenAnswer(code!.issued!)).toBe('invalid_grant');
  });
});
