import { describe, expect, it } from 'vitest';
import { TestBrowser, left } from './browser.js';
import {
  ALICE,
  APP_ORIGIN,
  REDIRECT_URI,
  authorizeUrl,
  devIdpForFile,
  exchangeCode,
  pkcePair,
  signInForTokens,
  tokenRequest,
} from './support.js';

const POST_LOGOUT_URI = `${APP_ORIGIN}/`;
const started = devIdpForFile({ redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [POST_LOGOUT_URI] });

/** Signs in inside `browser`, so its session cookie is there for the logout. */
async function signInWith(browser: TestBrowser) {
  const { discovery } = started;
  const { verifier, challenge } = pkcePair();
  const consent = await browser.submit(await browser.open(authorizeUrl(discovery, challenge)), ALICE);
  const redirect = left(await browser.submit(consent, { decision: 'allow' }));
  const { body } = await exchangeCode(discovery, redirect.searchParams.get('code') ?? '', verifier);
  return body;
}

describe('revocation', () => {
  it('makes a revoked refresh token unusable', async () => {
    const { discovery } = started;
    const { body: tokens } = await signInForTokens(discovery, ALICE);
    const revoked = await fetch(discovery.revocation_endpoint, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: 'grantflow-demo',
        token: tokens.refresh_token ?? '',
        token_type_hint: 'refresh_token',
      }),
    });
    expect(revoked.status).toBe(200);
    const refresh = await tokenRequest(discovery, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    });
    expect(refresh.body.error).toBe('invalid_grant');
  });
});

describe('end session', () => {
  it('signs out and returns to the registered post-logout URI with the state', async () => {
    const { idp, discovery } = started;
    const browser = new TestBrowser(idp.issuer);
    const tokens = await signInWith(browser);
    const logout = new URL(discovery.end_session_endpoint);
    logout.searchParams.set('id_token_hint', tokens.id_token ?? '');
    logout.searchParams.set('post_logout_redirect_uri', POST_LOGOUT_URI);
    logout.searchParams.set('state', 'bye');
    const confirm = await browser.open(logout);
    expect(confirm.kind === 'page' && confirm.html).toContain('Sign out');

    const back = left(await browser.submit(confirm, { logout: 'yes' }));
    expect(`${back.origin}${back.pathname}`).toBe(POST_LOGOUT_URI);
    expect(back.searchParams.get('state')).toBe('bye');

    const silent = left(
      await browser.open(authorizeUrl(discovery, pkcePair().challenge, { prompt: 'none' })),
    );
    expect(silent.searchParams.get('error')).toBe('login_required');
  });

  it('refuses an unregistered post-logout URI', async () => {
    const { idp, discovery } = started;
    const browser = new TestBrowser(idp.issuer);
    const tokens = await signInWith(browser);
    const logout = new URL(discovery.end_session_endpoint);
    logout.searchParams.set('id_token_hint', tokens.id_token ?? '');
    logout.searchParams.set('post_logout_redirect_uri', 'https://evil.example.test/');
    const page = await browser.open(logout);
    expect(page.kind === 'page' && page.status).toBe(400);
  });
});
