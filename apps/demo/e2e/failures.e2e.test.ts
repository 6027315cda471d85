import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './browser.js';
import { alice, bob, demoUrl, expectStatus, signIn, signInAtIdp, stack } from './demo.js';

const browser = useBrowser();

/** The IdP as the browser sees it when it is down: every request to it is refused. `up()` brings it back. */
async function idpDown(context: BrowserContext): Promise<{ up: () => Promise<void> }> {
  const pattern = (url: URL) => url.href.startsWith(stack.issuer);
  await context.route(pattern, (route) => route.abort('connectionrefused'));
  return { up: () => context.unroute(pattern) };
}

/** Uncaught errors and unhandled rejections of the page. */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

const message = (page: Page) => page.getByTestId('message').textContent();

describe('the demo explains every failure', () => {
  it.each([
    ['alice', alice],
    ['bob (read only)', bob],
  ])('a 403 names the scope the API asked for, for %s', async (_name, user) => {
    const page = await browser.newPage();
    await signIn(page, user);
    await page.goto(demoUrl('/appointments'));
    // Every user starts with an appointment, so the admin-only delete is there to try.
    await page.getByRole('button', { name: /^Delete Welcome check-up/ }).click();
    await expect.poll(() => message(page)).toContain('Forbidden (403)');
    expect(await message(page)).toContain('needs the scope “admin:appointments”');
  });

  it('says in plain words when the API cannot be reached, and that the session is kept', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, alice);
    const api = (url: URL) => url.href.startsWith(stack.apiUrl);
    await context.route(api, (route) => route.abort('connectionrefused'));
    await page.goto(demoUrl('/appointments'));
    await expect
      .poll(() => message(page))
      .toContain("Can't reach the appointments API. Try again in a moment.");
    await expectStatus(page, 'authenticated');
    await context.unroute(api);
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => page.getByTestId('message').count()).toBe(0);
    await expect.poll(() => page.getByTestId('appointments').textContent()).toContain('Welcome check-up');
  });

  it('clears the last banner when the next action starts', async () => {
    const page = await browser.newPage();
    await signIn(page, alice);
    await page.goto(demoUrl('/appointments'));
    await page.getByRole('button', { name: /^Delete Welcome check-up/ }).click();
    await expect.poll(() => message(page)).toContain('Forbidden (403)');
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => page.getByTestId('message').count()).toBe(0);
  });

  it('says in plain words when the IdP is unreachable at sign-in, next to the button, and recovers', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = pageErrors(page);
    // Down before the page loads: nothing about the IdP is known yet (its discovery is not cached).
    const idp = await idpDown(context);
    await page.goto(demoUrl('/'));

    await page.getByRole('banner').getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByTestId('sign-in-error');
    await expect.poll(() => alert.textContent()).toContain("Can't reach the sign-in service. Try again");
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByTestId('home-sign-in-error').textContent())
      .toContain("Can't reach the sign-in service");
    expect(page.url()).toBe(demoUrl('/'));
    expect(errors).toEqual([]);

    await idp.up();
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signInAtIdp(page, alice);
    await expectStatus(page, 'authenticated');
    expect(errors).toEqual([]);
  });

  it('says why on a first visit to a protected page while the IdP is unreachable, and signs in from there once it is back', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = pageErrors(page);
    const idp = await idpDown(context);
    await page.goto(demoUrl('/profile'));
    const noPage = page.getByTestId('no-page');
    await expect.poll(() => noPage.textContent()).toContain("Can't reach the sign-in service");
    expect(page.url()).toBe(demoUrl('/profile'));

    await idp.up();
    await noPage.getByRole('button', { name: 'Try again' }).click();
    await signInAtIdp(page, alice);
    await expectStatus(page, 'authenticated');
    await page.waitForURL(demoUrl('/profile'));
    expect(await noPage.count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('says in plain words on the callback page that the user declined, when Deny was clicked at the IdP', async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await page.goto(demoUrl('/'));
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.href.startsWith(stack.issuer));
    await page.getByLabel('Email').fill(alice.email);
    await page.getByLabel('Password').fill(alice.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // A fresh browser is a new session at the IdP: its consent page comes.
    await page.getByRole('button', { name: 'Deny' }).click();

    await page.waitForURL((url) => url.pathname === '/callback');
    const explained = page.getByTestId('callback-error');
    await expect
      .poll(() => explained.textContent())
      .toContain('You declined the sign-in on the sign-in service’s page, so you are not signed in.');
    // The plain words lead; the code and the IdP's own words stay beneath them for whoever debugs.
    const text = (await explained.textContent()) ?? '';
    expect(text.indexOf('You declined')).toBeLessThan(text.indexOf('authorization_error'));
    expect(text).toContain('authorization_error (access_denied): End-User denied the authorization request');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign-in failed');
    expect(await page.getByTestId('auth-status').textContent()).not.toBe('authenticated');
    expect(errors).toEqual([]);
  });

  it('keeps the session and says so when the IdP is unreachable while signed in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, alice);
    const idp = await idpDown(context);

    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect
      .poll(() => page.getByTestId('last-error').textContent())
      .toContain("Can't reach the sign-in service; you are still signed in.");
    await expectStatus(page, 'authenticated');

    await idp.up();
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect.poll(() => page.getByTestId('last-error').textContent()).toBe('none');
    await expectStatus(page, 'authenticated');
  });
});
