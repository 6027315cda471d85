import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIENCE } from '../src/index.js';
import { TestBrowser, left } from './browser.js';
import {
  ALICE,
  APP_ORIGIN,
  REDIRECT_URI,
  authorizeUrl,
  devIdpForFile,
  exchangeCode,
  pkcePair,
  type Discovery,
} from './support.js';

const POST_LOGOUT_URI = `${APP_ORIGIN}/`;
const started = devIdpForFile({ redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [POST_LOGOUT_URI] });

/** The parameters of an authorization request, for a form body instead of the query. */
function authorizationForm(discovery: Discovery, challenge: string, extra: Record<string, string> = {}) {
  return Object.fromEntries(authorizeUrl(discovery, challenge, extra).searchParams);
}

function postForm(url: string, body: URLSearchParams | string, type = 'application/x-www-form-urlencoded') {
  return fetch(url, { method: 'POST', headers: { 'content-type': type }, body, redirect: 'manual' });
}

/** Alice signs in (and consents) in `browser`, from an authorization request sent as a form POST. */
async function signInByPost(browser: TestBrowser, discovery: Discovery): Promise<void> {
  const login = await browser.post(
    discovery.authorization_endpoint,
    authorizationForm(discovery, pkcePair().challenge),
  );
  left(await browser.submit(await browser.submit(login, ALICE), { decision: 'allow' }));
}

describe('the authorization endpoint by form POST (OIDC Core §3.1.2.1)', () => {
  it('signs in with PKCE and the code exchanges for tokens, refresh token included', async () => {
    const { idp, discovery } = started;
    const browser = new TestBrowser(idp.issuer);
    const { verifier, challenge } = pkcePair();
    const form = authorizationForm(discovery, challenge);

    const login = await browser.post(discovery.authorization_endpoint, form);
    expect(login.kind === 'page' && login.html).toContain('name="password"');
    const consent = await browser.submit(login, ALICE);
    const redirect = left(await browser.submit(consent, { decision: 'allow' }));
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get('state')).toBe(form.state);

    const { status, body } = await exchangeCode(discovery, redirect.searchParams.get('code') ?? '', verifier);
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token!).aud).toBe(DEFAULT_AUDIENCE);
    expect(decodeJwt(body.id_token!)).toMatchObject({ nonce: form.nonce, sub: expect.any(String) });
    expect(typeof body.refresh_token).toBe('string');
  });

  it('recognises the session by its cookie: prompt=none by POST answers with a code', async () => {
    const { idp, discovery } = started;
    const browser = new TestBrowser(idp.issuer);
    await signInByPost(browser, discovery);

    const { verifier, challenge } = pkcePair();
    const silent = left(
      await browser.post(
        discovery.authorization_endpoint,
        authorizationForm(discovery, challenge, { prompt: 'none' }),
      ),
    );
    const { status } = await exchangeCode(discovery, silent.searchParams.get('code') ?? '', verifier);
    expect(status).toBe(200);
  });

  it('refuses a POST without PKCE as it refuses the GET', async () => {
    const { idp, discovery } = started;
    const form = authorizationForm(discovery, pkcePair().challenge);
    delete form.code_challenge;
    const refused = left(await new TestBrowser(idp.issuer).post(discovery.authorization_endpoint, form));
    expect(refused.searchParams.get('error')).toBe('invalid_request');
  });

  it('answers the POST with 303 See Other to the endpoint, the form as its query, and nothing cached', async () => {
    const { discovery } = started;
    const form = authorizationForm(discovery, pkcePair().challenge, { prompt: 'none' });
    const response = await postForm(discovery.authorization_endpoint, new URLSearchParams(form));

    expect(response.status).toBe(303);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const location = new URL(response.headers.get('location') ?? '', discovery.authorization_endpoint);
    expect(location.href.split('?')[0]).toBe(discovery.authorization_endpoint);
    expect(Object.fromEntries(location.searchParams)).toEqual(form);
  });

  it('keeps the session cookie without Secure, so cookie jars send it back over plain HTTP', async () => {
    const { idp, discovery } = started;
    const browser = new TestBrowser(idp.issuer);
    await signInByPost(browser, discovery);

    const session = browser.setCookies.filter((cookie) => cookie.startsWith('_session'));
    expect(session.length).toBeGreaterThan(0);
    // RFC 6265 §5.4: a Secure cookie never goes over http, and the dev IdP speaks only http.
    for (const cookie of session) expect(cookie).not.toMatch(/;\s*secure\s*(;|$)/i);
  });
});

describe('the end-session endpoint by form POST (RP-Initiated Logout §2)', () => {
  it('signs out and returns to the registered post-logout URI with the state', async () => {
    const { idp, discovery } = started;
    const browser = new TestBrowser(idp.issuer);
    const { verifier, challenge } = pkcePair();
    const consent = await browser.submit(await browser.open(authorizeUrl(discovery, challenge)), ALICE);
    const signedIn = left(await browser.submit(consent, { decision: 'allow' }));
    const { body: tokens } = await exchangeCode(discovery, signedIn.searchParams.get('code') ?? '', verifier);

    const confirm = await browser.post(discovery.end_session_endpoint, {
      id_token_hint: tokens.id_token ?? '',
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state: 'bye',
    });
    expect(confirm.kind === 'page' && confirm.html).toContain('Sign out');
    const back = left(await browser.submit(confirm, { logout: 'yes' }));
    expect(`${back.origin}${back.pathname}`).toBe(POST_LOGOUT_URI);
    expect(back.searchParams.get('state')).toBe('bye');
    // The session cookie's deletion too, or the browser would keep the cookie.
    expect(browser.setCookies.filter((c) => c.startsWith('_session=;'))).not.toHaveLength(0);

    const silent = left(
      await browser.open(authorizeUrl(discovery, pkcePair().challenge, { prompt: 'none' })),
    );
    expect(silent.searchParams.get('error')).toBe('login_required');
  });
});

describe('a POST to either endpoint', () => {
  it.each(['authorization_endpoint', 'end_session_endpoint'] as const)(
    'at the %s is refused with 400 invalid_request when its body is not a form',
    async (endpoint) => {
      const { discovery } = started;
      const body = JSON.stringify(authorizationForm(discovery, pkcePair().challenge));
      const response = await postForm(discovery[endpoint], body, 'application/json');
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    },
  );
});
