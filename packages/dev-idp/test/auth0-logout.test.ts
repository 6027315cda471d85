import { describe, expect, it } from 'vitest';
import { auth0Logout } from '../src/auth0-logout.js';
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
const outcome = (query: string) => auth0Logout(new URLSearchParams(query), CLIENTS, '/oidc/logout');

describe("Auth0's /v2/logout mapped onto RP-Initiated Logout", () => {
  it('sends client_id and returnTo on to the end-session endpoint', () => {
    expect(outcome('client_id=spa&returnTo=https%3A%2F%2Fa.example.test%2F')).toEqual({
      location: '/oidc/logout?client_id=spa&post_logout_redirect_uri=https%3A%2F%2Fa.example.test%2F',
    });
  });

  it("without client_id, finds the client whose logout URLs hold returnTo (Auth0's tenant-wide list)", () => {
    expect(outcome('returnTo=https%3A%2F%2Fb.example.test%2F')).toEqual({
      location: '/oidc/logout?client_id=other&post_logout_redirect_uri=https%3A%2F%2Fb.example.test%2F',
    });
  });

  it('without returnTo, ends the session and shows the signed-out page', () => {
    expect(outcome('client_id=spa')).toEqual({ location: '/oidc/logout?client_id=spa' });
    expect(outcome('')).toEqual({ location: '/oidc/logout' });
  });

  it("refuses a returnTo that is not one of the client's logout URLs, and an unknown client", () => {
    expect(outcome('client_id=spa&returnTo=https%3A%2F%2Fb.example.test%2F')).toHaveProperty('error');
    expect(outcome('returnTo=https%3A%2F%2Fevil.example.test%2F')).toHaveProperty('error');
    expect(outcome('client_id=nobody')).toHaveProperty('error');
  });
});

describe('GET /v2/logout at the dev IdP', () => {
  it('ends the session and returns to returnTo, so a silent sign-in then needs a login', async () => {
    const { idp, discovery } = started;
    const browser = new TestBrowser(idp.issuer);
    const consent = await browser.submit(
      await browser.open(authorizeUrl(discovery, pkcePair().challenge)),
      ALICE,
    );
    left(await browser.submit(consent, { decision: 'allow' }));
    const signedIn = left(
      await browser.open(authorizeUrl(discovery, pkcePair().challenge, { prompt: 'none' })),
    );
    expect(signedIn.searchParams.get('code')).toBeTruthy();

    const logout = new URL('v2/logout', idp.issuer);
    logout.search = new URLSearchParams({ client_id: 'grantflow-demo', returnTo: RETURN_TO }).toString();
    const confirm = await browser.open(logout);
    // oidc-provider's confirmation page submits itself by script in a real browser.
    const back = left(await browser.submit(confirm, { logout: 'yes' }));
    expect(back.href).toBe(RETURN_TO);

    const silent = left(
      await browser.open(authorizeUrl(discovery, pkcePair().challenge, { prompt: 'none' })),
    );
    expect(silent.searchParams.get('error')).toBe('login_required');
  });

  it('answers 400 with the reason for a returnTo that is not registered', async () => {
    const logout = new URL('v2/logout', started.idp.issuer);
    logout.search = new URLSearchParams({
      client_id: 'grantflow-demo',
      returnTo: 'https://evil.example.test/',
    }).toString();
    const response = await fetch(logout, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('not an allowed logout URL');
  });
});
