import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, DevIdpError, signIn } from '../src/index.js';
import { TestBrowser, left, type Step } from './browser.js';
import {
  ALICE as alice,
  BOB,
  REDIRECT_URI,
  authorizeUrl,
  devIdpForFile,
  exchangeCode,
  pkcePair,
  signInForTokens,
} from './support.js';

const started = devIdpForFile({
  clients: [
    { clientId: DEFAULT_CLIENT_ID, redirectUris: [REDIRECT_URI] },
    { clientId: 'first-party', redirectUris: [REDIRECT_URI], skipConsent: true },
  ],
});

function html(step: Step): string {
  if (step.kind !== 'page') throw new Error(`expected a page, left to ${step.url.href}`);
  return step.html;
}

describe('login page', () => {
  it('is self-contained and has labelled Email and Password fields and a Sign in button', async () => {
    const browser = new TestBrowser(started.idp.issuer);
    const page = await browser.open(authorizeUrl(started.discovery, pkcePair().challenge));
    const body = html(page);
    expect(body).toMatch(/<label for="email">Email<\/label>\s*<input id="email"/);
    expect(body).toMatch(
      /<label for="password">Password<\/label>\s*<input id="password"[^>]*type="password"/,
    );
    expect(body).toMatch(/<button type="submit">Sign in<\/button>/);
    expect(body).not.toMatch(/\b(?:src|href)="(?:https?:)?\/\//);
  });

  it('re-renders with an error on a wrong password and still completes the same flow', async () => {
    const browser = new TestBrowser(started.idp.issuer);
    const { verifier, challenge } = pkcePair();
    const request = authorizeUrl(started.discovery, challenge);
    const login = await browser.open(request);
    const retry = await browser.submit(login, { email: alice.email, password: 'nope' });
    expect(retry.kind === 'page' && retry.status).toBe(401);
    expect(html(retry)).toContain('role="alert"');
    expect(html(retry)).toContain('value="alice@example.com"');
    expect(retry.url.pathname).toBe(login.url.pathname + '/login');

    const consent = await browser.submit(retry, alice);
    expect(html(consent)).toContain('<button type="submit" name="decision" value="allow">Allow</button>');
    for (const scope of ['openid', 'offline_access', 'read:appointments', 'write:appointments']) {
      expect(html(consent)).toContain(`<code>${scope}</code>`);
    }
    const redirect = left(await browser.submit(consent, { decision: 'allow' }));
    expect(redirect.searchParams.get('state')).toBe(request.searchParams.get('state'));
    const { status } = await exchangeCode(
      started.discovery,
      redirect.searchParams.get('code') ?? '',
      verifier,
    );
    expect(status).toBe(200);
  });

  it('makes signIn reject wrong credentials with sign_in_failed', async () => {
    const attempt = signIn(authorizeUrl(started.discovery, pkcePair().challenge), {
      ...alice,
      password: 'nope',
    });
    await expect(attempt).rejects.toBeInstanceOf(DevIdpError);
    await expect(attempt).rejects.toMatchObject({ code: 'sign_in_failed' });
  });
});

describe('consent page', () => {
  it('lets signIn finish when the client skips consent', async () => {
    const redirect = await signIn(
      authorizeUrl(started.discovery, pkcePair().challenge, { client_id: 'first-party' }),
      alice,
    );
    expect(redirect.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('sends access_denied to the client on Deny', async () => {
    const browser = new TestBrowser(started.idp.issuer);
    const request = authorizeUrl(started.discovery, pkcePair().challenge);
    const consent = await browser.submit(await browser.open(request), alice);
    const redirect = left(await browser.submit(consent, { decision: 'deny' }));
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    expect(redirect.searchParams.get('state')).toBe(request.searchParams.get('state'));
    expect(redirect.searchParams.get('code')).toBeNull();
  });

  it('is skipped for a first-party client, which still gets only the permitted scopes', async () => {
    const browser = new TestBrowser(started.idp.issuer);
    const { verifier, challenge } = pkcePair();
    const login = await browser.open(
      authorizeUrl(started.discovery, challenge, { client_id: 'first-party' }),
    );
    const redirect = left(await browser.submit(login, BOB));
    const { body } = await tokenFor('first-party', redirect, verifier);
    expect(body.refresh_token).toEqual(expect.any(String));
    expect(decodeJwt(body.access_token ?? '').scope).toBe('read:appointments');
  });
});

async function tokenFor(clientId: string, redirect: URL, verifier: string) {
  const response = await fetch(started.discovery.token_endpoint, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: clientId,
      grant_type: 'authorization_code',
      code: redirect.searchParams.get('code') ?? '',
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string | undefined> };
}

describe('sessions', () => {
  it('answers prompt=none without a session with login_required', async () => {
    const redirect = await signIn(
      authorizeUrl(started.discovery, pkcePair().challenge, { prompt: 'none' }),
      alice,
    );
    expect(redirect.searchParams.get('error')).toBe('login_required');
  });

  it('signs a returning user in silently, with prompt=none too', async () => {
    const browser = new TestBrowser(started.idp.issuer);
    const consent = await browser.submit(
      await browser.open(authorizeUrl(started.discovery, pkcePair().challenge)),
      alice,
    );
    left(await browser.submit(consent, { decision: 'allow' }));

    const again = left(await browser.open(authorizeUrl(started.discovery, pkcePair().challenge)));
    expect(again.searchParams.get('code')).toEqual(expect.any(String));

    const { verifier, challenge } = pkcePair();
    const silent = left(
      await browser.open(
        authorizeUrl(started.discovery, challenge, { prompt: 'none', scope: 'openid read:appointments' }),
      ),
    );
    const { status, body } = await exchangeCode(
      started.discovery,
      silent.searchParams.get('code') ?? '',
      verifier,
    );
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token ?? '').scope).toBe('read:appointments');
  });
});

describe('audiences', () => {
  it('refuses an unknown audience with invalid_target', async () => {
    const redirect = await signIn(
      authorizeUrl(started.discovery, pkcePair().challenge, { audience: 'https://unknown.example.test' }),
      alice,
    );
    expect(redirect.searchParams.get('error')).toBe('invalid_target');
  });

  it('issues a userinfo-only token without an audience, as Auth0 does', async () => {
    const { body } = await signInForTokens(started.discovery, alice, { audience: undefined });
    const userinfo = await fetch(started.discovery.userinfo_endpoint, {
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({ sub: 'alice', email: 'alice@example.com' });
  });
});
