import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { TestBrowser, left, type Step } from './browser.js';
import { ALICE, BOB, REDIRECT_URI, authorizeUrl, devIdpForFile, exchangeCode, pkcePair } from './support.js';

// The demo organization: Alice (org_acmeclinic) is a member, Bob is not.
const started = devIdpForFile({ redirectUris: [REDIRECT_URI] });

const isLoginPage = (step: Step) => step.kind === 'page' && /\bname="password"/.test(step.html);

/** A browser where Bob is signed in (no organization). */
async function bobsBrowser(): Promise<TestBrowser> {
  const browser = new TestBrowser(started.idp.issuer);
  const consent = await browser.submit(
    await browser.open(authorizeUrl(started.discovery, pkcePair().challenge)),
    BOB,
  );
  left(await browser.submit(consent, { decision: 'allow' }));
  return browser;
}

/**
 * Signs in on the login page shown and goes on as a browser would: oidc-provider first ends the
 * other user's session (a form the page submits by script), then the consent page if asked.
 */
async function signInOnPage(browser: TestBrowser, login: Step, credentials: typeof ALICE): Promise<URL> {
  let step = await browser.submit(login, credentials);
  for (let pages = 0; step.kind === 'page' && pages < 3; pages += 1) {
    step = await browser.submit(step, /name="logout"/.test(step.html) ? {} : { decision: 'allow' });
  }
  return left(step);
}

describe("an organization login over a non-member's session", () => {
  it.each([
    ['prompt=login', { prompt: 'login' }],
    ['max_age=0', { max_age: '0' }],
  ])('shows the login page for %s, and admits the member who signs in', async (_name, extra) => {
    const browser = await bobsBrowser();
    const { verifier, challenge } = pkcePair();
    const login = await browser.open(
      authorizeUrl(started.discovery, challenge, { organization: 'org_acmeclinic', ...extra }),
    );
    expect(isLoginPage(login)).toBe(true);
    const redirect = await signInOnPage(browser, login, ALICE);
    const { status, body } = await exchangeCode(
      started.discovery,
      redirect.searchParams.get('code') ?? '',
      verifier,
    );
    expect(status).toBe(200);
    expect(decodeJwt(body.id_token!)).toMatchObject({ sub: 'alice', org_id: 'org_acmeclinic' });
  });

  it('still refuses the non-member who signs in again with access_denied', async () => {
    const browser = await bobsBrowser();
    const login = await browser.open(
      authorizeUrl(started.discovery, pkcePair().challenge, {
        organization: 'org_acmeclinic',
        prompt: 'login',
      }),
    );
    expect(isLoginPage(login)).toBe(true);
    const redirect = await signInOnPage(browser, login, BOB);
    expect(redirect.searchParams.get('error')).toBe('access_denied');
  });

  it("refuses the non-member's session at once without a login prompt", async () => {
    const browser = await bobsBrowser();
    const answer = await browser.open(
      authorizeUrl(started.discovery, pkcePair().challenge, { organization: 'org_acmeclinic' }),
    );
    expect(left(answer).searchParams.get('error')).toBe('access_denied');
  });
});
