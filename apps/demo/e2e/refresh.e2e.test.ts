import { describe, expect, it } from 'vitest';
import { useBrowser } from './browser.ts';
import { alice, demoUrl, expectStatus, signIn, stack, tokenExpiry } from './demo.ts';
import { recordTokenRequests } from './token-requests.ts';

const browser = useBrowser();

describe('short-lived access tokens', () => {
  it('are renewed with the refresh token on their own, and API calls keep working', async () => {
    const context = await browser.newContext();
    const tokens = recordTokenRequests(context);
    const page = await context.newPage();
    await signIn(page, alice);
    await page.goto(demoUrl('/appointments'));
    const log = page.getByTestId('api-log').locator('li').first();
    await expect.poll(() => log.getAttribute('data-status')).toBe('200');

    const firstExpiry = await tokenExpiry(page);
    expect(firstExpiry - Date.now()).toBeLessThanOrEqual(stack.accessTokenTtl * 1000);
    // Past the point where the cached token is no longer handed out.
    await page.waitForTimeout(Math.max(0, firstExpiry - stack.leeway * 1000 - Date.now()) + 300);

    const before = tokens.length;
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => page.getByTestId('api-log').locator('li').count()).toBe(2);
    expect(await log.getAttribute('data-status')).toBe('200');
    expect(await tokenExpiry(page)).toBeGreaterThan(firstExpiry);
    expect(tokens.slice(before)).toEqual([
      { grantType: 'refresh_token', refreshToken: expect.any(String), status: 200, error: undefined },
    ]);
    await expectStatus(page, 'authenticated');
    expect(await page.getByTestId('last-error').textContent()).toBe('none');
  });
});
