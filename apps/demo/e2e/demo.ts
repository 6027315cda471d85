import { DEMO_USERS, type DemoUser } from '@grantflow/dev-idp';
import type { Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import type { Storage } from './stack.js';

export const stack = inject('stack');
export const alice = DEMO_USERS.find((u) => u.sub === 'alice')!;
export const bob = DEMO_USERS.find((u) => u.sub === 'bob')!;

export function demoUrl(path: string, storage: Storage = 'local'): string {
  return new URL(path, stack.demo[storage]).href;
}

/** On the IdP's own pages: fill the login form, allow the consent if asked, and wait to be back. */
export async function signInAtIdp(page: Page, user: DemoUser, issuer = stack.issuer): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(issuer));
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The consent page comes on a first sign-in only.
  const allow = page.getByRole('button', { name: 'Allow' });
  const back = page.waitForURL((url) => !url.href.startsWith(issuer), { timeout: 30_000 });
  const outcome = await Promise.race([
    back.then(() => 'back' as const),
    allow.waitFor({ timeout: 30_000 }).then(
      () => 'consent' as const,
      () => 'back' as const,
    ),
  ]);
  if (outcome === 'consent') {
    await allow.click();
    await back;
  }
}

/** Signs in from the home page's button and waits for the signed-in state. */
export async function signIn(page: Page, user: DemoUser, storage: Storage = 'local'): Promise<void> {
  await page.goto(demoUrl('/', storage));
  await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
  await signInAtIdp(page, user);
  await expectStatus(page, 'authenticated');
}

/**
 * Clicks "Sign out" and waits for the way back from the IdP's logout (after the revocation) to
 * `returnTo`. On a page already at `returnTo`, `waitForURL` would resolve at once, and the next step
 * would race the trip to the IdP and back.
 */
export async function signOut(page: Page, returnTo: string): Promise<void> {
  let leftForIdp = false;
  const back = page.waitForRequest((request) => {
    if (request.url().includes('/oidc/logout')) leftForIdp = true;
    return leftForIdp && request.isNavigationRequest() && request.url() === returnTo;
  });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await back;
  await page.waitForLoadState('load');
}

export function expectStatus(page: Page, status: string) {
  return expect.poll(() => page.getByTestId('auth-status').textContent(), { timeout: 30_000 }).toBe(status);
}

/** Epoch ms the live panel shows for the access token's expiry. */
export async function tokenExpiry(page: Page): Promise<number> {
  return Number(await page.getByTestId('token-expiry').getAttribute('data-expires-at'));
}

/** The HTTP status of the latest API call the appointments page made. */
export function lastApiStatus(page: Page): Promise<string | null> {
  return page.getByTestId('api-log').locator('li').first().getAttribute('data-status');
}

/**
 * Rewrites the tokens the demo keeps in localStorage (the core's cache, one JSON value), to put the
 * app in a state that would otherwise take waiting or an attacker: expired or tampered tokens.
 */
export function editStoredTokens(page: Page, edit: { expire?: boolean; breakSignature?: boolean }) {
  return page.evaluate(({ expire, breakSignature }) => {
    for (const key of Object.keys(localStorage)) {
      let value = localStorage.getItem(key) ?? '';
      if (expire) value = value.replace(/"expires_at":\d+/g, `"expires_at":${Date.now() - 1000}`);
      if (breakSignature) value = value.replace(/("access_token":"[^"]+)"/g, '$1x"');
      localStorage.setItem(key, value);
    }
  }, edit);
}
