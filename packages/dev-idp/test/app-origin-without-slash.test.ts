import { describe, expect, it } from 'vitest';
import { optionsFromEnv } from '../src/env-options.js';
import { DEFAULT_CLIENT_ID } from '../src/index.js';
import { TestBrowser, left } from './browser.js';
import { ALICE, authorizeUrl, devIdpForFile, pkcePair } from './support.js';

/**
 * Auth0's quickstarts sign in with `redirect_uri: window.location.origin` and sign out with
 * `returnTo: window.location.origin`, which have no trailing slash; the default registration (and
 * DEMO_PORT's) takes the app's origin with and without it.
 */
describe.each([
  ['the default client', {}, 'http://localhost:5173'],
  ['DEMO_PORT', optionsFromEnv({ DEMO_PORT: '5200' }), 'http://localhost:5200'],
])('GET /v2/logout to the app origin, %s', (_registration, options, origin) => {
  const started = devIdpForFile(options);

  async function signedInBrowser(): Promise<TestBrowser> {
    const browser = new TestBrowser(started.idp.issuer);
    const url = authorizeUrl(started.discovery, pkcePair().challenge, { redirect_uri: `${origin}/callback` });
    const consent = await browser.submit(await browser.open(url), ALICE);
    left(await browser.submit(consent, { decision: 'allow' }));
    return browser;
  }

  it.each([origin, `${origin}/`])('ends the session and answers 302 to returnTo=%s', async (returnTo) => {
    const browser = await signedInBrowser();
    const logout = new URL('v2/logout', started.idp.issuer);
    logout.search = new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, returnTo }).toString();
    const response = await browser.fetch(logout);
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location')!, started.idp.issuer).href).toBe(`${origin}/`);

    const silent = authorizeUrl(started.discovery, pkcePair().challenge, {
      prompt: 'none',
      redirect_uri: `${origin}/callback`,
    });
    expect(left(await browser.open(silent)).searchParams.get('error')).toBe('login_required');
  });

  it('still refuses another path of the same origin', async () => {
    const logout = new URL('v2/logout', started.idp.issuer);
    logout.search = new URLSearchParams({
      client_id: DEFAULT_CLIENT_ID,
      returnTo: `${origin}/bye`,
    }).toString();
    expect((await fetch(logout, { redirect: 'manual' })).status).toBe(400);
  });
});

describe.each([
  ['the default client', {}, 'http://localhost:5173'],
  ['DEMO_PORT', optionsFromEnv({ DEMO_PORT: '5200' }), 'http://localhost:5200'],
])('sign-in back to the app origin, %s', (_registration, options, origin) => {
  const started = devIdpForFile(options);

  it.each([origin, `${origin}/`])('answers with a code at redirect_uri=%s', async (redirectUri) => {
    const browser = new TestBrowser(started.idp.issuer);
    const url = authorizeUrl(started.discovery, pkcePair().challenge, { redirect_uri: redirectUri });
    const consent = await browser.submit(await browser.open(url), ALICE);
    const back = left(await browser.submit(consent, { decision: 'allow' }));
    expect(back.origin).toBe(origin);
    expect(back.searchParams.get('code')).toBeTruthy();
  });
});
