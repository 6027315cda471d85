import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AUDIENCE, startDevIdp, type DevIdp } from '@grantflow/dev-idp';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loopbackFront } from '../../../scripts/loopback-front.js';
import { useBrowser } from './browser.js';
import { alice, bob, demoUrl, expectStatus, signIn, signInAtIdp, stack } from './demo.js';
import { close, listen, startDemo } from './stack.js';

const browser = useBrowser();

/** Fills the IdP's form in `popup`; allows the consent if it comes. The opener closes the popup. */
async function signInInPopup(popup: Page, user: typeof alice) {
  await popup.waitForURL((url) => url.href.startsWith(stack.issuer));
  await popup.getByLabel('Email').fill(user.email);
  await popup.getByLabel('Password').fill(user.password);
  await popup.getByRole('button', { name: 'Sign in' }).click();
  const allow = popup.getByRole('button', { name: 'Allow' });
  const outcome = await Promise.race([
    popup.waitForEvent('close', { timeout: 30_000 }).then(() => 'closed' as const),
    allow.waitFor({ timeout: 30_000 }).then(() => 'consent' as const),
  ]);
  if (outcome === 'consent') await allow.click();
}

describe('popup sign-in', () => {
  it('signs in in a popup the click opened; the opener shows the sign-in and ends signed in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(demoUrl('/'));
    await expectStatus(page, 'unauthenticated');
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Popup sign-in' }).click(),
    ]);
    await expectStatus(page, 'authorizing');
    await signInInPopup(popup, alice);
    await expectStatus(page, 'authenticated');
    await expect.poll(() => popup.isClosed()).toBe(true);
    expect(page.url()).toBe(demoUrl('/'));
    expect(await page.getByTestId('signed-in-as').textContent()).toBe(alice.name);
  });

  it('tells popup_closed when the user closes the popup, and stays signed out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(demoUrl('/'));
    await expectStatus(page, 'unauthenticated');
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Popup sign-in' }).click(),
    ]);
    await popup.waitForURL((url) => url.href.startsWith(stack.issuer));
    await popup.close();
    await expect
      .poll(() => page.getByTestId('popup-error').textContent(), { timeout: 30_000 })
      .toContain('popup_closed');
    expect(await page.getByTestId('auth-status').textContent()).not.toBe('authenticated');
  });
});

describe('organizations and custom claims', () => {
  it('an invitation link signs the invitee in to the organization', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(
      demoUrl(
        '/login?invitation=demo-invitation-bob&organization=org_acmeclinic&organization_name=acme-clinic',
      ),
    );
    await signInAtIdp(page, bob);
    await expectStatus(page, 'authenticated');
    await page.waitForURL((url) => url.pathname === '/profile');
    await expect.poll(() => page.getByTestId('profile-organization').textContent()).toBe('acme-clinic');
    expect(await page.getByTestId('profile-email').textContent()).toBe(bob.email);
  });

  it('the profile shows the roles claim and the userinfo answer', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, alice);
    await page.goto(demoUrl('/profile'));
    await expect.poll(() => page.getByTestId('profile-roles').textContent()).toBe('staff');
    await page.getByTestId('load-userinfo').click();
    await expect.poll(() => page.getByTestId('userinfo').textContent()).toContain('"sub": "alice"');
  });
});

describe('automatic renewal', () => {
  it('keeps renewing across an IdP restart, recovering on its own once the IdP is back', async () => {
    const persistDir = await mkdtemp(join(tmpdir(), 'grantflow-e2e-idp-'));
    const demoServer = createServer();
    const origin = `http://localhost:${await listen(demoServer)}`;
    // The issuer's port stays the IdP's while the IdP behind it stops and starts again on ports of its
    // own: a port released for the restart could be taken by another test's server meanwhile.
    const front = await loopbackFront();
    const idpOptions = {
      quiet: true,
      port: 0,
      issuer: `http://localhost:${front.port}/`,
      persistDir,
      redirectUris: [`${origin}/callback`],
      postLogoutRedirectUris: [`${origin}/`],
      corsOrigins: [origin],
      accessTokenTtl: 6,
    };
    let idp: DevIdp | undefined = await startDevIdp(idpOptions);
    front.route(idp.port);
    const { issuer } = idp;
    const demo = await startDemo(
      demoServer,
      'local',
      {
        VITE_ISSUER: issuer,
        VITE_API_URL: stack.apiUrl,
        VITE_AUDIENCE: DEFAULT_AUDIENCE,
        VITE_LEEWAY: '1',
      },
      'restart',
    );
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${origin}/`);
      await page.getByRole('main').getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((url) => url.href.startsWith(issuer));
      await page.getByLabel('Email').fill(alice.email);
      await page.getByLabel('Password').fill(alice.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const allow = page.getByRole('button', { name: 'Allow' });
      await allow.click();
      await expectStatus(page, 'authenticated');
      const renewal = () => page.getByTestId('renewal').getAttribute('data-renewal');
      await expect.poll(renewal, { timeout: 30_000 }).toBe('renewed');

      front.route(undefined);
      await idp.close();
      idp = undefined;
      await expect.poll(renewal, { timeout: 30_000 }).toBe('renew_failed');
      // Still signed in: the failure is beside the session, not instead of it.
      expect(await page.getByTestId('auth-status').textContent()).toBe('authenticated');

      idp = await startDevIdp(idpOptions);
      front.route(idp.port);
      // Nobody clicks "Refresh now": the backoff retries reach the IdP again, the next up to 30 s later.
      await expect.poll(renewal, { timeout: 75_000 }).toBe('renewed');
      await expectStatus(page, 'authenticated');
      await expect.poll(() => page.getByTestId('last-error').textContent()).toBe('none');
    } finally {
      await idp?.close();
      await front.close();
      await demo.close();
      await close(demoServer);
      await rm(persistDir, { recursive: true, force: true });
    }
    // Its own waits add up to 135 s (the backoff reaches 30 s between tries; a renewal due every 5 s, each
    // wait leaves a loaded machine room) plus the first page's, beyond the 120 s default.
  }, 240_000);
});
