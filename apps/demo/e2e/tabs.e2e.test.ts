import { describe, expect, it } from 'vitest';
import { useBrowser } from './browser.js';
import { alice, demoUrl, expectStatus, editStoredTokens, lastApiStatus, signIn, signOut } from './demo.js';
import { recordTokenRequests } from './token-requests.js';

const browser = useBrowser();

/** Two tabs of one browser (shared storage): alice signs in in the first, the second opens `path`. */
async function twoSignedInTabs(path: string) {
  const context = await browser.newContext();
  const tokens = recordTokenRequests(context);
  const first = await context.newPage();
  await signIn(first, alice);
  const second = await context.newPage();
  await second.goto(demoUrl(path));
  await expectStatus(second, 'authenticated');
  return { first, second, tokens };
}

describe('two tabs', () => {
  it('signing out in one signs the other out, and it leaves its protected page', async () => {
    const { first, second } = await twoSignedInTabs('/profile');

    await signOut(first, demoUrl('/'));
    await expectStatus(first, 'unauthenticated');
    // The second tab was not reloaded: it followed the broadcast, and left the profile for home.
    await expectStatus(second, 'unauthenticated');
    await second.waitForURL(demoUrl('/'));
    expect(await second.getByTestId('profile-name').count()).toBe(0);
  });

  it('refreshing in both at once spends each rotating refresh token once', async () => {
    const { first, second, tokens } = await twoSignedInTabs('/');

    const before = tokens.length;
    await Promise.all([
      first.getByRole('button', { name: 'Refresh now' }).click(),
      second.getByRole('button', { name: 'Refresh now' }).click(),
    ]);
    for (const page of [first, second]) {
      await expect
        .poll(() => page.getByRole('button', { name: /^Refresh/ }).textContent())
        .toBe('Refresh now');
    }
    // Spending a refresh token a second time is what must not happen: the IdP would answer
    // invalid_grant and revoke the session.
    const refreshes = tokens.slice(before);
    expect(
      refreshes.map((r, i) => ({
        grant: r.grantType,
        status: r.status,
        spendsAnEarlierToken: refreshes.slice(0, i).some((p) => p.refreshToken === r.refreshToken),
      })),
    ).toEqual([
      { grant: 'refresh_token', status: 200, spendsAnEarlierToken: false },
      { grant: 'refresh_token', status: 200, spendsAnEarlierToken: false },
    ]);
    for (const page of [first, second]) {
      await expectStatus(page, 'authenticated');
      expect(await page.getByTestId('last-error').textContent()).toBe('none');
    }

    // Both tabs keep a working session.
    for (const page of [first, second]) {
      await page.goto(demoUrl('/appointments'));
      await expect
        .poll(() => page.getByTestId('api-log').locator('li').first().getAttribute('data-status'))
        .toBe('200');
    }
  });

  it('when the access token runs out in both at once, one refresh serves both', async () => {
    const { first, second, tokens } = await twoSignedInTabs('/');
    for (const page of [first, second]) {
      await page.getByRole('link', { name: 'Appointments', exact: true }).click();
      await expect.poll(() => lastApiStatus(page)).toBe('200');
    }
    // Age the shared stored tokens past their expiry instead of waiting for it.
    await editStoredTokens(first, { expire: true });
    const before = tokens.length;

    await Promise.all([first, second].map((page) => page.getByRole('button', { name: 'Reload' }).click()));
    for (const page of [first, second]) {
      await expect.poll(() => page.getByTestId('api-log').locator('li').count()).toBe(2);
      expect(await lastApiStatus(page)).toBe('200');
    }
    // Under the Web Lock, whichever tab came second found the token the first one got.
    expect(tokens.slice(before).map((t) => [t.grantType, t.status])).toEqual([['refresh_token', 200]]);
  });
});
