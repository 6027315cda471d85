import { CookieJar } from './cookie-jar.js';
import { DevIdpError } from './errors.js';

export interface SignInCredentials {
  email: string;
  password: string;
}

export interface SignInOptions {
  /** The answer on the consent page; `'deny'` sends the user back with `access_denied`. Default `'allow'`. */
  consent?: 'allow' | 'deny';
  /**
   * The browser's cookies, kept across calls: a later `prompt=none` request with the same jar finds the
   * IdP session the sign-in started. A new jar (a fresh browser) by default.
   */
  jar?: CookieJar;
}

const MAX_STEPS = 20;

function failed(message: string): DevIdpError {
  return new DevIdpError('sign_in_failed', message);
}

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The action of the page's form and what to submit: credentials on the login page, "Allow" on consent. */
function formSubmission(
  html: string,
  credentials: SignInCredentials,
  consent: 'allow' | 'deny',
): { action: string; body: URLSearchParams } {
  const action = /<form\b[^>]*\baction="([^"]*)"/i.exec(html)?.[1];
  if (action === undefined) throw failed('the dev IdP page has no form');
  const body = new URLSearchParams();
  for (const [, name = '', value = ''] of html.matchAll(
    /<input\b[^>]*\btype="hidden"[^>]*\bname="([^"]*)"[^>]*\bvalue="([^"]*)"/gi,
  )) {
    body.set(decodeEntities(name), decodeEntities(value));
  }
  if (/\bname="password"/.test(html)) {
    body.set('email', credentials.email);
    body.set('password', credentials.password);
  } else if (/\bname="decision"/.test(html)) {
    body.set('decision', consent);
  } else {
    throw failed('unexpected page from the dev IdP');
  }
  return { action: decodeEntities(action), body };
}

/**
 * Test helper: drives the dev IdP's real login and consent forms over HTTP, the way a browser
 * would, starting from an authorization URL. Resolves with the redirect to the client (carrying
 * `code`, `state` and `iss`, or `error`); rejects with `sign_in_failed` on wrong credentials.
 */
export async function signIn(
  authorizeUrl: string | URL,
  credentials: SignInCredentials,
  { consent = 'allow', jar = new CookieJar() }: SignInOptions = {},
): Promise<URL> {
  const start = new URL(authorizeUrl);
  let url = start;
  let init: RequestInit = { method: 'GET' };

  for (let step = 0; step < MAX_STEPS; step += 1) {
    const headers = new Headers(init.headers);
    const cookie = jar.header(url);
    if (cookie !== undefined) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.store(url, response.headers.getSetCookie());

    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      const next = new URL(location, url);
      // Anything that leaves the IdP is the redirect back to the client.
      if (next.origin !== start.origin) return next;
      url = next;
      init = { method: 'GET' };
      continue;
    }

    const html = await response.text();
    if (response.status === 401) throw failed(`sign-in rejected for ${credentials.email}`);
    if (!response.ok) throw failed(`the dev IdP answered ${response.status} at ${url.pathname}`);
    const { action, body } = formSubmission(html, credentials, consent);
    url = new URL(action, url);
    init = {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
  }
  throw failed(`no redirect back to the client after ${MAX_STEPS} steps`);
}
