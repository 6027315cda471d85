import { describe, expect, it } from 'vitest';
import { TestBrowser, left } from './browser.js';
import {
  ALICE,
  REDIRECT_URI,
  authorizeUrl,
  devIdpForFile,
  exchangeCode,
  pkcePair,
  tokenRequest,
} from './support.js';

const started = devIdpForFile({ redirectUris: [REDIRECT_URI] });

const WITHOUT_OFFLINE = 'openid profile email read:appointments write:appointments';

/** Signs Alice in through the login and consent pages, so `browser` holds her session. */
async function signInInteractively(browser: TestBrowser, extra: Record<string, string> = {}) {
  const url = authorizeUrl(started.discovery, pkcePair().challenge, extra);
  const consent = await browser.submit(await browser.open(url), ALICE);
  left(await browser.submit(consent, { decision: 'allow' }));
}

/** A silent authorization (auth0-spa-js's iframe) in `browser`, its code exchanged. */
async function silently(browser: TestBrowser, extra: Record<string, string | undefined> = {}) {
  const { verifier, challenge } = pkcePair();
  const url = authorizeUrl(started.discovery, challenge, { prompt: 'none', ...extra });
  const redirect = left(await browser.open(url));
  const code = redirect.searchParams.get('code');
  expect(code, redirect.searchParams.get('error') ?? '').toBeTruthy();
  return (await exchangeCode(started.discovery, code ?? '', verifier)).body;
}

describe('a silent (prompt=none) authorization asking for offline_access', () => {
  it('gets a refresh token when the grant already covers offline_access, as with Auth0', async () => {
    const browser = new TestBrowser(started.idp.issuer);
    await signInInteractively(browser);
    const tokens = await silently(browser);
    expect(typeof tokens.refresh_token).toBe('string');

    const refreshed = await tokenRequest(started.discovery, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    });
    expect(typeof refreshed.body.refresh_token).toBe('string');
  });

  it('gets none when the user never consented to offline_access: prompt=none cannot ask', async () => {
    const browser = new TestBrowser(started.idp.issuer);
    await signInInteractively(browser, { scope: WITHOUT_OFFLINE });
    const tokens = await silently(browser);
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('gets none when it does not ask for offline_access, though the grant covers it', async () => {
    const browser = new TestBrowser(started.idp.issuer);
    await signInInteractively(browser);
    const tokens = await silently(browser, { scope: WITHOUT_OFFLINE });
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeUndefined();
  });
});
