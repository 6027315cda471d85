import { describe, expect, it } from 'vitest';
import { useBrowser } from './browser.ts';
import { alice, demoUrl, expectStatus, signIn } from './demo.ts';
import { recordTokenRequests } from './token-requests.ts';

const browser = useBrowser();

describe('two tabs', () => {
  it('signing out in one signs the other out', async () => {
    const context = await browser.newContext();
    const first = await context.newPage();
    await signIn(first, alice);
    const second = await context.newPage();
    await second.goto(demoUrl('/profile'));
    await expectStatus(second, 'authenticated');

    await first.getByRole('button', { name: 'Sign out' }).click();
    await first.waitForURL(demoUrl('/'));
    await expectStatus(first, 'unauthenticated');
    // The second tab was not reloaded: it followed the broadcast.
    await expectStatus(second, 'unauthenticated');
    expect(second.url()).toBe(demoUrl('/profile'));
  });

  it('refreshing in both at once spends each rotating refresh token once', async () => {
    const context = await browser.newContext();
    const tokens = recordTokenRequests(context);
    const first = await context.newPage();
    await signIn(first, alice);
    const second = await context.newPage();
    await second.goto(demoUrl('/'));
    await expectStatus(second, 'authenticated');

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
});
