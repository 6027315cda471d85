import { CookieJar } from '../src/cookie-jar.js';

export type Step = { kind: 'page'; url: URL; status: number; html: string } | { kind: 'left'; url: URL };

/** A step-by-step stand-in for a browser, so tests can look at each page signIn would pass through. */
export class TestBrowser {
  readonly #jar = new CookieJar();
  readonly #origin: string;
  /** Every Set-Cookie header the IdP sent, as sent: what a real browser would judge. */
  readonly setCookies: string[] = [];

  constructor(issuer: string) {
    this.#origin = new URL(issuer).origin;
  }

  async #fetch(url: URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.#jar.header(url);
    if (cookie !== undefined) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.#jar.store(url, response.headers.getSetCookie());
    this.setCookies.push(...response.headers.getSetCookie());
    return response;
  }

  /** Follows redirects inside the IdP; stops on a page or when a redirect leaves the IdP. */
  async #follow(response: Response, url: URL): Promise<Step> {
    let current = response;
    let at = url;
    for (;;) {
      const location = current.headers.get('location');
      if (current.status < 300 || current.status >= 400 || location === null) {
        return { kind: 'page', url: at, status: current.status, html: await current.text() };
      }
      await current.body?.cancel();
      at = new URL(location, at);
      if (at.origin !== this.#origin) return { kind: 'left', url: at };
      current = await this.#fetch(at);
    }
  }

  /** One GET with the browser's cookies, its redirect not followed: to look at the redirect itself. */
  async fetch(url: URL | string): Promise<Response> {
    return this.#fetch(new URL(url));
  }

  async open(url: URL | string): Promise<Step> {
    const target = new URL(url);
    return this.#follow(await this.#fetch(target), target);
  }

  /** A form POST from another site's page (an app's auto-submitting form), not from an IdP page. */
  async post(url: URL | string, fields: Record<string, string>): Promise<Step> {
    const target = new URL(url);
    const response = await this.#fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });
    return this.#follow(response, target);
  }

  async submit(page: Step, fields: Record<string, string>): Promise<Step> {
    if (page.kind !== 'page') throw new Error('no page to submit');
    const action = /<form\b[^>]*\baction="([^"]*)"/.exec(page.html)?.[1];
    if (action === undefined) throw new Error('page has no form');
    const hidden = Object.fromEntries(
      [...page.html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    const target = new URL(action.replace(/&amp;/g, '&'), page.url);
    const response = await this.#fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...hidden, ...fields }),
    });
    return this.#follow(response, target);
  }
}

export function left(step: Step): URL {
  if (step.kind !== 'left')
    throw new Error(`expected a redirect to the client, got a page at ${step.url.pathname}`);
  return step.url;
}
