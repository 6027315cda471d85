import { useBrowser } from '@grantflow/demo/e2e/browser.ts';
import { describe, expect, inject, it } from 'vitest';
import { alice, authorizationUrl, nextNavigationTo } from './sdk-page.js';

const compat = inject('compat');
// idp.test is plain HTTP and not a secure context (unlike localhost): Chromium keeps no Secure cookie from it.
const HOST = 'idp.test';
const browser = useBrowser({ args: [`--host-resolver-rules=MAP ${HOST} 127.0.0.1`] });
const app = compat.pages['auth0-spa-js'];

/** The dev IdP's issuer, reached under another host name. */
const issuerAtHost = () => Object.assign(new URL(compat.issuer), { hostname: HOST }).href;

describe('the dev IdP reached at a plain-HTTP host name other than localhost in Chromium', () => {
  it('signs in (login, then consent) and then signs in silently with prompt=none', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(authorizationUrl(issuerAtHost(), app).href);
    await page.getByLabel('Email').fill(alice.email);
    await page.getByLabel('Password').fill(alice.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const allow = page.getByRole('button', { name: 'Allow' });
    const signedIn = await nextNavigationTo(page, app, () => allow.click());
    expect(signedIn.searchParams.get('error')).toBeNull();
    expect(signedIn.searchParams.get('code')).toEqual(expect.any(String));

    const silent = authorizationUrl(issuerAtHost(), app, { prompt: 'none' });
    const again = await nextNavigationTo(page, app, () => page.goto(silent.href));
    expect(again.searchParams.get('error')).toBeNull();
    expect(again.searchParams.get('code')).toEqual(expect.any(String));
  });
});
