import { describe, expect, it } from 'vitest';
import { useBrowser } from './browser.js';
import {
  alice,
  demoUrl,
  editStoredTokens,
  expectStatus,
  lastApiStatus,
  signIn,
  stack,
  tokenExpiry,
} from './demo.js';
import { recordTokenRequests } from './token-requests.js';

const browser = useBrowser();

describe('short-lived access tokens', () => {
  it('are renewed on their own before they run out, and API calls keep working', async () => {
    const context = await browser.newContext();
    const tokens = recordTokenRequests(context);
    const page = await context.newPage();
    await signIn(page, alice);
    await page.goto(demoUrl('/appointments'));
    await expect.poll(() => lastApiStatus(page)).toBe('200');
    const firstExpiry = await tokenExpiry(page);
    expect(firstExpiry - Date.now()).toBeLessThanOrEqual(stack.accessTokenTtl * 1000);

    // Nobody clicks: the countdown restarts by itself with a renewed token.
    await expect
      .poll(() => tokenExpiry(page), { timeout: (stack.accessTokenTtl + 5) * 1000 })
      .toBeGreaterThan(firstExpiry);
    expect(tokens.some((t) => t.grantType === 'refresh_token' && t.status === 200)).toBe(true);

    // Once the first token is dead for the API too, calls still succeed.
    await page.waitForTimeout(Math.max(0, firstExpiry - Date.now()) + 500);
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => page.getByTestId('api-log').locator('li').count()).toBe(2);
    expect(await lastApiStatus(page)).toBe('200');
    expect(tokens.filter((t) => t.status !== 200)).toEqual([]);
    await expectStatus(page, 'authenticated');
    expect(await page.getByTestId('last-error').textContent()).toBe('none');
  });

  it('a token the API rejects as invalid_token is replaced from the IdP and the call retried once', async () => {
    const context = await browser.newContext();
    const tokens = recordTokenRequests(context);
    const api: number[] = [];
    context.on('response', (response) => {
      if (response.url().startsWith(`${stack.apiUrl}/api/`) && response.request().method() === 'GET')
        api.push(response.status());
    });
    const page = await context.newPage();
    await signIn(page, alice);
    await page.goto(demoUrl('/appointments'));
    await expect.poll(() => lastApiStatus(page)).toBe('200');

    // Break the signature of the stored access tokens: the API answers 401 invalid_token.
    await editStoredTokens(page, { breakSignature: true });
    const before = { api: api.length, tokens: tokens.length };
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => page.getByTestId('api-log').locator('li').count()).toBe(2);

    expect(await lastApiStatus(page)).toBe('200');
    expect(api.slice(before.api)).toEqual([401, 200]);
    expect(tokens.slice(before.tokens).map((t) => [t.grantType, t.status])).toEqual([['refresh_token', 200]]);
  });
});
