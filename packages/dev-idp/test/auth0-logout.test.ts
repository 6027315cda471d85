import { describe, expect, it } from 'vitest';
import { auth0Logout } from '../src/auth0-logout.js';
import { DEFAULT_CLIENT } from '../src/defaults.js';
import { TestBrowser, left } from './browser.js';
import { ALICE, APP_ORIGIN, authorizeUrl, devIdpForFile, pkcePair, REDIRECT_URI } from './support.js';

const RETURN_TO = `${APP_ORIGIN}/`;
const started = devIdpForFile({ redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [RETURN_TO] });

const CLIENTS = [
  {
    clientId: 'spa',
    redirectUris: ['https://a.example.test/cb'],
    postLogoutRedirectUris: ['https://a.example.test/'],
  },
  {
    clientId: 'other',
    redirectUris: ['https://b.example.test/cb'],
    postLogoutRedirectUris: ['https://b.example.test/'],
  },
];
const outcome = (query: string) => auth0Logout(new URLSearchParams(query), CLIENTS);

describe("Auth0's /v2/logout mapped onto RP-Initiated Logout", () => {
  it('takes client_id and returnTo as the client and its post-logout URI', () => {
    expect(outcome('client_id=spa&returnTo=https%3A%2F%2Fa.example.test%2F')).toEqual({
      clientId: 'spa',
      returnTo: 'https://a.example.test/',
    });
  });

  it("without client_id, finds the client whose logout URLs hold returnTo (Auth0's tenant-wide list)", () => {
    expect(outcome('returnTo=https%3A%2F%2Fb.example.test%2F')).toEqual({
      clientId: 'other',
      returnTo: 'https://b.example.test/',
    });
  });

  it("without returnTo, returns to the client's first logout URL, as Auth0 does; else the signed-out page", () => {
    expect(outcome('client_id=spa')).toEqual({ clientId: 'spa', returnTo: 'https://a.example.test/' });
    expect(
      auth0Logout(new URLSearchParams('client_id=bare'), [{ clientId: 'bare', redirectUris: [] }]),
    ).toEqual({ clientId: 'bare' });
    expect(outcome('')).toEqual({});
  });

  it("refuses a returnTo that is not one of the client's logout URLs, and an unknown client", () => {
    expect(outcome('client_id=spa&returnTo=https%3A%2F%2Fb.example.test%2F')).toHaveProperty('error');
    expect(outcome('returnTo=https%3A%2F%2Fevil.example.test%2F')).toHaveProperty('error');
    expect(outcome('client_id=nobody')).toHaveProperty('error');
  });
});

function v2Logout(params: Record<string, string>): URL {
  const logout = new URL('v2/logout', started.idp.issuer);
  logout.search = new URLSearchParams(params).toString();
  return logout;
}

/** Signs Alice in inside `browser`, so its session cookie is there for the logout. */
async function signInWith(browser: TestBrowser): Promise<void> {
  const url = authorizeUrl(started.discovery, pkcePair().challenge);
  left(await browser.submit(await browser.submit(await browser.open(url), ALICE), { decision: 'allow' }));
}

/** A prompt=none authorization in `browser`: the answer's parameters (a code while signed in). */
async function silentAuthorization(browser: TestBrowser): Promise<URLSearchParams> {
  const url = authorizeUrl(started.discovery, pkcePair().challenge, { prompt: 'none' });
  return left(await browser.open(url)).searchParams;
}

describe('GET /v2/logout at the dev IdP', () => {
  it('ends the session without a page or script and answers 302 to returnTo, as Auth0 does', async () => {
    const browser = new TestBrowser(started.idp.issuer);
    await signInWith(browser);
    expect((await silentAuthorization(browser)).get('code')).toBeTruthy();

    const response = await browser.fetch(v2Logout({ client_id: 'grantflow-demo', returnTo: RETURN_TO }));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(RETURN_TO);

    expect((await silentAuthorization(browser)).get('error')).toBe('login_required');
  });

  it("ends the session and answers 302 to the client's first logout URL without returnTo, as Auth0 does", async () => {
    const browser = new TestBrowser(started.idp.issuer);
    await signInWith(browser);
    const response = await browser.fetch(v2Logout({ client_id: 'grantflow-demo' }));
    expect(response.status).toBe(302);
    // The demo client's own first (the app's origin); the ones the options add come after it.
    expect(response.headers.get('location')).toBe(DEFAULT_CLIENT.postLogoutRedirectUris![0]);

    expect((await silentAuthorization(browser)).get('error')).toBe('login_required');
  });

  it('ends the session and shows "Signed out" without client_id or returnTo', async () => {
    const browser = new TestBrowser(started.idp.issuer);
    await signInWith(browser);
    const page = await browser.open(v2Logout({}));
    expect(page.kind === 'page' && page.status).toBe(200);
    expect(page.kind === 'page' && page.html).toContain('Signed out');

    expect((await silentAuthorization(browser)).get('error')).toBe('login_required');
  });

  it('answers 302 to returnTo when nobody is signed in', async () => {
    const response = await fetch(v2Logout({ returnTo: RETURN_TO }), { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(RETURN_TO);
  });

  it('answers 400 with the reason for a returnTo that is not registered', async () => {
    const logout = v2Logout({ client_id: 'grantflow-demo', returnTo: 'https://evil.example.test/' });
    const response = await fetch(logout, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('not an allowed logout URL');
  });
});
