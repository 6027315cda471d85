import { describe, expect, it } from 'vitest';
import { useBrowser } from './browser.js';
import { alice, demoUrl, expectStatus, signIn, signOut } from './demo.js';
import type { Storage } from './stack.js';
import { recordSilentAuthorizations, recordTokenRequests } from './token-requests.js';

const browser = useBrowser();

describe('a reload', () => {
  it.each<[Storage, string]>([
    ['local', 'keeps the session from localStorage'],
    ['session', 'keeps the session from sessionStorage'],
  ])('with %s storage %s, without asking the IdP', async (storage) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, alice, storage);
    const silent = recordSilentAuthorizations(context);
    const tokens = recordTokenRequests(context);

    await page.goto(demoUrl('/profile', storage));
    await expectStatus(page, 'authenticated');
    expect(await page.getByTestId('profile-name').textContent()).toBe(alice.name);
    expect(page.url()).toBe(demoUrl('/profile', storage));
    expect(silent).toEqual([]);
    // At most a refresh with the stored refresh token, should the short-lived access token have expired.
    expect(tokens.filter((t) => t.grantType !== 'refresh_token')).toEqual([]);
  });

  it('with memory storage recovers the session by a silent authorization at the IdP', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, alice, 'memory');
    const silent = recordSilentAuthorizations(context);
    const tokens = recordTokenRequests(context);

    await page.goto(demoUrl('/profile', 'memory'));
    await expectStatus(page, 'authenticated');
    expect(await page.getByTestId('profile-name').textContent()).toBe(alice.name);
    expect(page.url()).toBe(demoUrl('/profile', 'memory'));
    expect(silent).toHaveLength(1);
    expect(tokens.map((t) => [t.grantType, t.status])).toEqual([['authorization_code', 200]]);
  });

  it('with memory storage does not survive signing out at the IdP', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, alice, 'memory');
    await signOut(page, demoUrl('/', 'memory'));

    await page.goto(demoUrl('/', 'memory'));
    await expectStatus(page, 'unauthenticated');
    expect(await page.getByTestId('last-error').textContent()).toBe('none');
  });
});
