import { describe, expect, it } from 'vitest';
import { useBrowser } from './browser.ts';
import { alice, demoUrl, expectStatus, signIn, stack, tokenExpiry } from './demo.ts';
import { recordTokenRequests } from './token-requests.ts';

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
  it('signing out in one signs the other out', async () => {
    const { first, second } = await twoSignedInTabs('/profile');

    await first.getByRole('button', { name: 'Sign out' }).click();
    await first.waitForURL(demoUrl('/'));
    await expectStatus(first, 'unauthenticated');
    // The second tab was not reloaded: it followed the broadcast.
    await expectStatus(second, 'unauthenticated');
    expect(second.url()).toBe(demoUrl('/profile'));
  });

  it('refreshing in both at once spends each rotating refresh token once', async () => {
    const { first, second, tokens } = await twoSignedInTabs('/');

    const before = tokens.length;
    await Promise.all([
      first.getByRole('button', { name: 'Refresh now' }).click(),
      second.getByRole('button', { name: 'Refresh now' }).click(),
    ]);
    for (const page of [first, second]) {
      await expect.poll(() => page.getByRole('button', { name: 'Refresh now' }).isEnabled()).toBe(true);
      await expectStatus(page, 'authenticated');
      expect(await page.getByTestId('last-error').textContent()).toBe('none');
    }
    const refreshes = tokens.slice(before);
    expect(refreshes.map((r) => [r.grantType, r.status, r.error])).toEqual([
      ['refresh_token', 200, undefined],
      ['refresh_token', 200, undefined],
    ]);
    // The second refresh used the token the first one rotated in, not the spent one.
    expect(new Set(refreshes.map((r) => r.refreshToken)).size).toBe(2);

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
    const expiry = await tokenExpiry(first);
    expect(await tokenExpiry(second)).toBe(expiry);
    const before = tokens.length;

    // Both tabs renew at the same moment; under the Web Lock whichever comes second finds the token the
    // first one got.
    const renewed = async () => Math.max(await tokenExpiry(first), await tokenExpiry(second));
    await expect.poll(renewed, { timeout: (stack.accessTokenTtl + 5) * 1000 }).toBeGreaterThan(expiry);
    await second.waitForTimeout(1000);
    expect(tokens.slice(before).map((t) => [t.grantType, t.status, t.error])).toEqual([
      ['refresh_token', 200, undefined],
    ]);

    // The second tab calls the API with that token, without a refresh of its own.
    await second.getByRole('link', { name: 'Appointments', exact: true }).click();
    await expect
      .poll(() => second.getByTestId('api-log').locator('li').first().getAttribute('data-status'))
      .toBe('200');
    expect(tokens.slice(before)).toHaveLength(1);
    expect(await second.getByTestId('last-error').textContent()).toBe('none');
  });
});
