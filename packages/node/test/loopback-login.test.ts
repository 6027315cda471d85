import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { signIn } from '@grantflow/dev-idp';
import {
  AuthorizationError,
  LoginRequiredError,
  refreshTokens,
  TimeoutError,
  type FetchLike,
} from '@grantflow/core';
import {
  fileTokenStorage,
  LoginCancelledError,
  type BrowserOpener,
  type TokenStorage,
} from '../src/index.js';
import {
  ALICE,
  AUDIENCE,
  CLI_CLIENT_ID,
  devIdpForFile,
  httpBrowser,
  jwtPayload,
  statusOf,
  tempDirs,
  testClient,
} from './support.js';

const started = devIdpForFile();
const tempDir = tempDirs();

const quiet = { print: () => undefined };
// A login that is to time out after the browser came back: the sign-in at the dev IdP and the callback
// must fit in it, which took up to 4 s in CI with turbo running other packages' tests beside them.
const SIGN_IN_LIMIT = 15_000;
// Requests may take longer than the login (the client's own limit is 10 s): the login's timeout is what ends them.
const exchangeOutlasts = { timeout: 4 * SIGN_IN_LIMIT };

const WAITING = 'Waiting for the browser to finish signing in… (Ctrl-C to cancel)';

/** The person at the terminal: reads what the login prints, and signs in from the first URL in it. */
function personAtTerminal() {
  const lines: string[] = [];
  let visit: Promise<Response> | undefined;
  return {
    lines,
    get visit() {
      return visit;
    },
    print(message: string) {
      lines.push(message);
      const url = /https?:\/\/\S+\/authorize\?\S+/.exec(message)?.[0];
      if (url && !visit) visit = signIn(url, ALICE).then((callback) => fetch(callback));
    },
  };
}

describe('loginWithLoopback against the dev IdP (RFC 8252)', () => {
  it('signs in through the browser, answers the one callback, stores the tokens and closes the listener', async () => {
    const dir = await tempDir();
    const { client, requests } = testClient(started.idp.issuer, dir);
    const browser = httpBrowser();
    const lines: string[] = [];
    const result = await client.login({ openBrowser: browser.open, print: (line) => lines.push(line) });
    const { authorizeUrl, callback, status, html } = await browser.visit;

    const params = authorizeUrl.searchParams;
    expect(params.get('client_id')).toBe(CLI_CLIENT_ID);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(params.get('state')).toMatch(/^[\w-]{43}$/);
    expect(params.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(params.get('audience')).toBe(AUDIENCE);
    // The app's scope as written, then the `offline_access` a refresh token needs.
    expect(params.get('scope')).toBe('openid profile email read:appointments offline_access');
    const redirectUri = new URL(params.get('redirect_uri') ?? '');
    expect(redirectUri.hostname).toBe('127.0.0.1');
    expect(redirectUri.pathname).toBe('/callback');
    expect(Number(redirectUri.port)).toBeGreaterThan(0);
    expect(callback.searchParams.get('iss')).toBe(started.idp.issuer);

    expect(status).toBe(200);
    expect(html).toContain('You can close this tab');
    expect(html).not.toContain(callback.searchParams.get('code'));
    expect(lines.join('\n')).toContain(authorizeUrl.href);
    expect(lines.join('\n')).toMatch(/waiting for the browser/i);

    expect(jwtPayload(result.accessToken)).toMatchObject({
      aud: AUDIENCE,
      sub: 'alice',
      client_id: CLI_CLIENT_ID,
    });
    expect(result.user).toMatchObject({ sub: 'alice', email: ALICE.email });
    expect(result.expiresAt).toBeGreaterThan(Date.now());
    const exchange = requests.find((r) => r.params.get('grant_type') === 'authorization_code');
    expect(exchange?.params.get('redirect_uri')).toBe(redirectUri.href);
    expect(exchange?.params.get('code_verifier')).toMatch(/^[\w-]{43}$/);

    expect(await statusOf(redirectUri)).toBe('ECONNREFUSED');
    expect(await client.getAccessToken()).toBe(result.accessToken);
    expect((await stat(`${dir}/tokens.json`)).mode & 0o777).toBe(0o600);
  });

  it('finishes when the opener waits for the whole sign-in, its callback answered included', async () => {
    const dir = await tempDir();
    const { client } = testClient(started.idp.issuer, dir);
    const pages: Array<{ status: number; html: string }> = [];
    // Like a Playwright opener that clicks through: it resolves only once the browser shows the answer.
    const open: BrowserOpener = async (url) => {
      const response = await fetch(await signIn(url, ALICE));
      pages.push({ status: response.status, html: await response.text() });
    };
    const result = await client.login({ openBrowser: open, callbackTimeout: 60_000, ...quiet });
    expect(jwtPayload(result.accessToken).sub).toBe('alice');
    await vi.waitFor(() => expect(pages).toHaveLength(1), { timeout: 15_000 });
    expect(pages[0]).toMatchObject({ status: 200, html: expect.stringContaining('You can close this tab') });
  });

  it('prints the URL when the opener fails at once, and still signs in from it', async () => {
    const dir = await tempDir();
    const { client } = testClient(started.idp.issuer, dir);
    const person = personAtTerminal();
    const result = await client.login({ openBrowser: () => false, print: person.print });
    await person.visit;
    expect(person.lines).toEqual([expect.stringMatching(/^Open this URL in a browser/), WAITING]);
    expect(jwtPayload(result.accessToken).sub).toBe('alice');
  });

  it('shows the URL and the wait at once, and says so when the opener fails later', async () => {
    const dir = await tempDir();
    const { client } = testClient(started.idp.issuer, dir);
    const person = personAtTerminal();
    const open: BrowserOpener = () => Promise.reject(new Error('no browser here'));
    const result = await client.login({ openBrowser: open, print: person.print });
    await person.visit;
    expect(person.lines).toEqual([
      expect.stringMatching(/^Opening a browser to sign in\. If none appears, open this URL:\n\n {2}http/),
      WAITING,
      'No browser could be opened: open the URL above to sign in.',
    ]);
    expect(jwtPayload(result.accessToken).sub).toBe('alice');
  });

  it('shows the URL and the wait while an opener that never settles (one waiting for the browser) runs', async () => {
    const dir = await tempDir();
    const { client } = testClient(started.idp.issuer, dir);
    // The person signs in only from what the terminal shows: with nothing printed, the login would time out.
    const person = personAtTerminal();
    const result = await client.login({
      openBrowser: () => new Promise<boolean>(() => undefined),
      print: person.print,
      callbackTimeout: SIGN_IN_LIMIT,
    });
    expect((await person.visit)?.status).toBe(200);
    expect(person.lines).toEqual([expect.stringMatching(/^Opening a browser to sign in/), WAITING]);
    expect(jwtPayload(result.accessToken).sub).toBe('alice');
  });

  it('tells the person once that callbacks for no login of its own (another state, none, a repeated one) were ignored, and keeps waiting', async () => {
    const dir = await tempDir();
    const { client } = testClient(started.idp.issuer, dir);
    const strays: Array<number | string> = [];
    const lines: string[] = [];
    const browser = httpBrowser();
    // An answer without a state, one with it twice, a tab of an earlier sign-in twice; then the person signs in.
    let noticedStateless = false;
    const open: BrowserOpener = async (url) => {
      const stale = new URL(new URL(url).searchParams.get('redirect_uri') ?? '');
      stale.search = new URLSearchParams({ error: 'access_denied' }).toString();
      strays.push(await statusOf(stale));
      noticedStateless = lines.some((line) => line.startsWith('Ignored'));
      stale.search = `code=c&state=${new URL(url).searchParams.get('state')}&state=other`;
      strays.push(await statusOf(stale));
      stale.search = new URLSearchParams({ code: 'earlier-code', state: 'earlier-state' }).toString();
      strays.push(await statusOf(stale), await statusOf(stale));
      return browser.open(url);
    };
    const result = await client.login({ openBrowser: open, print: (line) => lines.push(line) });
    expect(strays).toEqual([404, 404, 404, 404]);
    expect(noticedStateless).toBe(true);
    expect((await browser.visit).status).toBe(200);
    expect(lines.filter((line) => line.startsWith('Ignored'))).toEqual([
      'Ignored a sign-in response that was not for this login (another state or issuer, none, or a repeated ' +
        'parameter: a tab from an earlier sign-in, or another page). Still waiting; sign in from the URL above.',
    ]);
    expect(jwtPayload(result.accessToken).sub).toBe('alice');
  });

  it('answers 404 to a callback with another state, other paths and other methods, and keeps waiting', async () => {
    const dir = await tempDir();
    const { client } = testClient(started.idp.issuer, dir);
    const strays: Array<number | string> = [];
    const browser = httpBrowser();
    const open: BrowserOpener = async (url) => {
      const redirectUri = new URL(new URL(url).searchParams.get('redirect_uri') ?? '');
      const forged = new URL(redirectUri);
      forged.search = new URLSearchParams({ code: 'forged', state: 'not-the-state' }).toString();
      strays.push(await statusOf(forged));
      strays.push(await statusOf(new URL('/', redirectUri)));
      strays.push(await statusOf(new URL('/favicon.ico', redirectUri)));
      strays.push(await statusOf(redirectUri, { method: 'POST' }));
      strays.push(await statusOf(redirectUri));
      return browser.open(url);
    };
    const result = await client.login({ openBrowser: open, ...quiet });
    expect(strays).toEqual([404, 404, 404, 404, 404]);
    expect((await browser.visit).status).toBe(200);
    expect(jwtPayload(result.accessToken).sub).toBe('alice');
  });

  it('accepts only the first callback: a second one gets 404, and nothing once the listener is closed', async () => {
    const dir = await tempDir();
    const { client } = testClient(started.idp.issuer, dir);
    let statuses: Promise<Array<number | string>> | undefined;
    const open: BrowserOpener = (url) => {
      statuses = signIn(url, ALICE).then((callback) => Promise.all([statusOf(callback), statusOf(callback)]));
      return true;
    };
    await client.login({ openBrowser: open, ...quiet });
    const [first, second] = [...(await statuses!)].sort();
    expect(first).toBe(200);
    // 404 while the first is being exchanged; refused once the listener has closed.
    expect([404, 'ECONNREFUSED']).toContain(second);
  });

  it('fails with access_denied when the user denies consent, tells the browser, and stores nothing', async () => {
    const dir = await tempDir();
    const { client } = testClient(started.idp.issuer, dir);
    const browser = httpBrowser({ consent: 'deny' });
    const error = await client.login({ openBrowser: browser.open, ...quiet }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthorizationError);
    expect(error).toMatchObject({ code: 'authorization_error', error: 'access_denied' });
    const { status, html } = await browser.visit;
    expect(status).toBe(400);
    expect(html).toContain('access_denied');
    await expect(stat(`${dir}/tokens.json`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("answers 404 to a callback with the login's state naming another issuer, or none (RFC 9207 mix-up), and keeps waiting", async () => {
    const dir = await tempDir();
    const { client } = testClient(started.idp.issuer, dir);
    const lines: string[] = [];
    let statuses: Promise<Array<number | string>> | undefined;
    const open: BrowserOpener = (url) => {
      statuses = signIn(url, ALICE).then(async (callback) => {
        const otherIssuer = new URL(callback);
        otherIssuer.searchParams.set('iss', 'https://attacker.example/');
        // The dev IdP says it sends `iss` (authorization_response_iss_parameter_supported): one without is refused.
        const noIssuer = new URL(callback);
        noIssuer.searchParams.delete('iss');
        return [await statusOf(otherIssuer), await statusOf(noIssuer), await statusOf(callback)];
      });
      return true;
    };
    const result = await client.login({ openBrowser: open, print: (line) => lines.push(line) });
    expect(await statuses).toEqual([404, 404, 200]);
    expect(lines.filter((line) => line.startsWith('Ignored'))).toHaveLength(1);
    expect(jwtPayload(result.accessToken).sub).toBe('alice');
  });

  it('times out when the browser never comes back, and closes the listener', async () => {
    const dir = await tempDir();
    const { client } = testClient(started.idp.issuer, dir);
    let redirectUri = '';
    const open: BrowserOpener = (url) => {
      redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
      return true;
    };
    const error = await client
      .login({ openBrowser: open, callbackTimeout: 300, ...quiet })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('no answer from the browser within 0.3 s');
    expect(await statusOf(redirectUri)).toBe('ECONNREFUSED');
  });

  it('times out when the code exchange never ends, tells the browser, and closes the listener', async () => {
    const dir = await tempDir();
    // The token endpoint never answers (and ignores the abort): only the login's own timeout ends it.
    const silentTokenEndpoint: FetchLike = (url, init) =>
      url.endsWith('/oauth/token') ? new Promise(() => undefined) : globalThis.fetch(url, init);
    const { client } = testClient(started.idp.issuer, dir, {
      fetch: silentTokenEndpoint,
      ...exchangeOutlasts,
    });
    const browser = httpBrowser();
    const error = await client
      .login({ openBrowser: browser.open, callbackTimeout: SIGN_IN_LIMIT, ...quiet })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe(
      "sign-in not finished within 15 s: the server's code exchange had not answered",
    );
    const { status, html, callback } = await browser.visit;
    expect(status).toBe(400);
    expect(html).toContain('timeout');
    expect(await statusOf(callback)).toBe('ECONNREFUSED');
  });

  it('gives up the code exchange when the login times out while the server is answering, and keeps nothing', async () => {
    const dir = await tempDir();
    let tokenRequest: RequestInit | undefined;
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    // The token endpoint answers only after the login has timed out, ignoring the abort meanwhile.
    const lateTokenEndpoint: FetchLike = async (url, init) => {
      if (!url.endsWith('/oauth/token')) return globalThis.fetch(url, init);
      tokenRequest = init;
      await answered;
      return globalThis.fetch(url, init);
    };
    const { client } = testClient(started.idp.issuer, dir, { fetch: lateTokenEndpoint, ...exchangeOutlasts });
    const browser = httpBrowser();
    const error = await client
      .login({ openBrowser: browser.open, callbackTimeout: SIGN_IN_LIMIT, ...quiet })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe(
      "sign-in not finished within 15 s: the server's code exchange had not answered",
    );
    expect(tokenRequest?.signal?.aborted).toBe(true);
    answer();
    expect((await browser.visit).status).toBe(400);
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
    await expect(stat(`${dir}/tokens.json`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('ends a session stored after the login timed out, and revokes its refresh token', async () => {
    const dir = await tempDir();
    const file = fileTokenStorage(join(dir, 'tokens.json'));
    const writes: Array<Promise<void>> = [];
    let refreshToken: string | undefined;
    // Writing takes longer than the login may: the session lands after the timeout.
    const slowStorage: TokenStorage = {
      get: (key) => file.get(key),
      remove: (key) => file.remove(key),
      withLock: (task) => file.withLock(task),
      set(key, value) {
        const session = JSON.parse(value) as { refresh_tokens?: Record<string, string> };
        refreshToken ??= session.refresh_tokens?.[AUDIENCE];
        const write = sleep(SIGN_IN_LIMIT).then(() => file.set(key, value));
        writes.push(write);
        return write;
      },
    };
    const { client, requests } = testClient(started.idp.issuer, dir, { storage: slowStorage });
    const browser = httpBrowser();
    const error = await client
      .login({ openBrowser: browser.open, callbackTimeout: SIGN_IN_LIMIT, ...quiet })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    await Promise.all(writes);
    expect(writes.length).toBeGreaterThan(0);
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
    await expect(stat(`${dir}/tokens.json`)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(requests.some((request) => request.params.get('token') === refreshToken)).toBe(true);
    const tokenEndpoint = new URL('oauth/token', started.idp.issuer).href;
    await expect(
      refreshTokens(tokenEndpoint, { client_id: CLI_CLIENT_ID, refresh_token: refreshToken! }),
    ).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('does nothing when its signal is already aborted: no browser, no request to the server', async () => {
    const dir = await tempDir();
    const requested: string[] = [];
    const recording: FetchLike = (url, init) => {
      requested.push(url);
      return globalThis.fetch(url, init);
    };
    const { client } = testClient(started.idp.issuer, dir, { fetch: recording });
    const opened: string[] = [];
    const error = await client
      .login({ openBrowser: (url) => void opened.push(url), signal: AbortSignal.abort(), ...quiet })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginCancelledError);
    expect(error).toMatchObject({ code: 'login_cancelled' });
    expect(opened).toEqual([]);
    expect(requested).toEqual([]);
  });

  it('gives up when the caller aborts, and closes the listener', async () => {
    const dir = await tempDir();
    const { client } = testClient(started.idp.issuer, dir);
    const controller = new AbortController();
    let redirectUri = '';
    const open: BrowserOpener = (url) => {
      redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
      setTimeout(() => controller.abort(), 50);
      return true;
    };
    const error = await client
      .login({ openBrowser: open, signal: controller.signal, ...quiet })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginCancelledError);
    expect(error).toMatchObject({ code: 'login_cancelled' });
    expect(await statusOf(redirectUri)).toBe('ECONNREFUSED');
  });

  it('gives up on Ctrl-C (SIGINT) while waiting, closes the listener and stops listening for SIGINT', async () => {
    const dir = await tempDir();
    const { client } = testClient(started.idp.issuer, dir);
    const listeners = process.listenerCount('SIGINT');
    let redirectUri = '';
    const open: BrowserOpener = (url) => {
      redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
      setTimeout(() => process.emit('SIGINT'), 20);
      return true;
    };
    const error = await client.login({ openBrowser: open, ...quiet }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginCancelledError);
    expect(await statusOf(redirectUri)).toBe('ECONNREFUSED');
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });

  it.each([
    ['Ctrl-C (SIGINT)', (_: AbortController) => void process.emit('SIGINT')],
    ["the caller's signal", (controller: AbortController) => controller.abort()],
  ])(
    'names login_cancelled on the browser page when %s gives up the code exchange, and keeps nothing',
    async (_name, giveUp) => {
      const dir = await tempDir();
      const controller = new AbortController();
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      // The token endpoint is held open: the login is given up while the code exchange waits on it.
      const heldTokenEndpoint: FetchLike = async (url, init) => {
        if (!url.endsWith('/oauth/token')) return globalThis.fetch(url, init);
        giveUp(controller);
        await held;
        return globalThis.fetch(url, init);
      };
      const { client } = testClient(started.idp.issuer, dir, { fetch: heldTokenEndpoint });
      const browser = httpBrowser();
      const error = await client
        .login({ openBrowser: browser.open, signal: controller.signal, ...quiet })
        .catch((e: unknown) => e);
      release();
      expect(error).toBeInstanceOf(LoginCancelledError);
      const { status, html } = await browser.visit;
      expect(status).toBe(400);
      expect(html).toContain('login_cancelled');
      expect(html).not.toContain('unexpected error');
      await expect(stat(`${dir}/tokens.json`)).rejects.toMatchObject({ code: 'ENOENT' });
    },
  );

  it('prints the URL to open when there is no browser to open', async () => {
    const dir = await tempDir();
    const { client } = testClient(started.idp.issuer, dir);
    let visit: Promise<unknown> | undefined;
    const print = (message: string) => {
      const url = /https?:\/\/\S+\/authorize\?\S+/.exec(message)?.[0];
      if (url) visit = signIn(url, ALICE).then((callback) => fetch(callback));
    };
    const result = await client.login({ openBrowser: false, print });
    await visit;
    expect(jwtPayload(result.accessToken).sub).toBe('alice');
  });
});
