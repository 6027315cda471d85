import { describe, expect, it } from 'vitest';
import { TestBrowser, type Step } from './browser.js';
import { ALICE, REDIRECT_URI, authorizeUrl, devIdpForFile, exchangeCode, pkcePair } from './support.js';

const started = devIdpForFile({ redirectUris: [REDIRECT_URI] });

interface WebMessage {
  /** Where the page posts its message (the target origin of `postMessage`). */
  redirect_uri: string;
  response: Record<string, string>;
}

/** The authorization response a web_message page posts to its opener or parent, and where. */
function webMessage(step: Step): WebMessage {
  if (step.kind !== 'page') throw new Error(`expected the web message page, left to ${step.url.href}`);
  expect(step.status).toBeLessThan(500);
  const posted = /\.postMessage\((\{.*\}), ("[^"]*")\);/s.exec(step.html);
  if (posted === null) throw new Error('no message in the web_message page');
  const message = JSON.parse(posted[1]!) as { type: string; response: Record<string, string> };
  expect(message.type).toBe('authorization_response');
  return { redirect_uri: JSON.parse(posted[2]!) as string, response: message.response };
}

/** auth0-spa-js's silent and popup requests: `response_mode=web_message`, a fresh PKCE pair. */
function webMessageRequest(extra: Record<string, string> = {}) {
  const { verifier, challenge } = pkcePair();
  const url = authorizeUrl(started.discovery, challenge, { response_mode: 'web_message', ...extra });
  return { url, verifier, state: url.searchParams.get('state') };
}

async function signedInBrowser(): Promise<TestBrowser> {
  const browser = new TestBrowser(started.idp.issuer);
  const consent = await browser.submit(
    await browser.open(authorizeUrl(started.discovery, pkcePair().challenge)),
    ALICE,
  );
  await browser.submit(consent, { decision: 'allow' });
  return browser;
}

describe('web_message response mode (auth0-spa-js popup and silent authorization)', () => {
  it('is listed in discovery', async () => {
    const metadata = (await (
      await fetch(new URL('.well-known/openid-configuration', started.idp.issuer))
    ).json()) as { response_modes_supported: string[] };
    expect(metadata.response_modes_supported).toContain('web_message');
  });

  it('answers prompt=none with a page posting the code and state to the redirect URI, and the code works', async () => {
    const browser = await signedInBrowser();
    const request = webMessageRequest({ prompt: 'none' });
    const message = webMessage(await browser.open(request.url));
    expect(message.redirect_uri).toBe(REDIRECT_URI);
    expect(message.response).toMatchObject({ state: request.state, iss: started.idp.issuer });
    const exchanged = await exchangeCode(started.discovery, message.response.code ?? '', request.verifier);
    expect(exchanged.status).toBe(200);
    expect(exchanged.body.access_token).toEqual(expect.any(String));
  });

  it('posts login_required to the redirect URI for prompt=none without a session', async () => {
    const request = webMessageRequest({ prompt: 'none' });
    const message = webMessage(await new TestBrowser(started.idp.issuer).open(request.url));
    expect(message.redirect_uri).toBe(REDIRECT_URI);
    expect(message.response).toMatchObject({ error: 'login_required', state: request.state });
    expect(message.response.code).toBeUndefined();
  });

  it('answers a popup sign-in through the login and consent pages with the web message', async () => {
    const browser = new TestBrowser(started.idp.issuer);
    const request = webMessageRequest();
    const consent = await browser.submit(await browser.open(request.url), ALICE);
    const message = webMessage(await browser.submit(consent, { decision: 'allow' }));
    expect(message.response.state).toBe(request.state);
    const exchanged = await exchangeCode(started.discovery, message.response.code ?? '', request.verifier);
    expect(exchanged.status).toBe(200);
  });
});
