import { describe, expect, it } from 'vitest';
import { useBrowser } from './browser.js';
import { alice, demoUrl, expectStatus, signInAtIdp, stack } from './demo.js';

const browser = useBrowser();

describe('sign-in', () => {
  it('goes through the real login page and lands on the original route, with code and state gone', async () => {
    const page = await browser.newPage();
    const authorize = page.waitForRequest(
      (r) => r.url().startsWith(stack.issuer) && r.url().includes('state='),
    );
    await page.goto(demoUrl('/profile?tab=claims'));
    const params = new URL((await authorize).url()).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('redirect_uri')).toBe(demoUrl('/callback'));

    await signInAtIdp(page, alice);
    await expectStatus(page, 'authenticated');
    expect(page.url()).toBe(demoUrl('/profile?tab=claims'));

    await expect.poll(() => page.getByTestId('profile-name').textContent()).toBe(alice.name);
    expect(await page.getByTestId('profile-email').textContent()).toBe(alice.email);
    expect(await page.locator('[data-claim="sub"]').textContent()).toBe(alice.sub);
    expect(await page.locator('[data-claim="iss"]').textContent()).toBe(stack.issuer);
    const scopes = await page.getByTestId('scopes').locator('li').allTextContents();
    expect(scopes).toEqual(expect.arrayContaining(['read:appointments', 'write:appointments']));
    expect(scopes).not.toContain('admin:appointments');
    // No token is ever shown (a JWT starts with the base64url of '{"').
    expect(await page.locator('body').textContent()).not.toContain('eyJ');
  });

  it('starts from a stale callback URL too: a guarded page still signs in and lands there', async () => {
    const page = await browser.newPage();
    // A reloaded or bookmarked callback: its login is spent, or was another tab's.
    await page.goto(demoUrl('/callback?code=old&state=stale'));
    await expect
      .poll(() => page.getByRole('main').getByRole('alert').textContent())
      .toContain('state_mismatch');

    await page.getByRole('navigation').getByRole('link', { name: 'Profile' }).click();
    await signInAtIdp(page, alice);
    await expectStatus(page, 'authenticated');
    expect(page.url()).toBe(demoUrl('/profile'));
    await expect.poll(() => page.getByTestId('profile-name').textContent()).toBe(alice.name);
  });
});
