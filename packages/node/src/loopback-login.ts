import {
  AuthorizationError,
  GrantflowError,
  OAuthError,
  parseCallback,
  TimeoutError,
  type AuthClient,
  type AuthorizeParams,
  type IdTokenClaims,
  type User,
} from '@grantflow/core';
import { fromServerIssuer, type ClientInternals } from '@grantflow/core/internal';
import { BOOLEAN, FUNCTION, isRecord, OBJECT, PORT, TEXT, TIMEOUT, type Rule } from './checks.js';
import { LoginCancelledError, NodeAuthError } from './errors.js';
import { withRequestsBoundTo } from './login-requests.js';
import type { LoopbackListener } from './loopback-listener.js';
import { failedPage, signedInPage } from './pages.js';
import { systemBrowser, type BrowserOpener } from './system-browser.js';

export interface LoopbackLoginOptions {
  /** Opens the authorization URL; default: the system browser. `false`: only print the URL (SSH, scripts). */
  openBrowser?: BrowserOpener | false;
  /** Talks to the person: the URL to open, and that the app is waiting; default: a line on stderr. */
  print?: (message: string) => void;
  /**
   * The loopback port; default 0, a free port the system picks (RFC 8252 §7.3). Set it only for a
   * provider that matches the redirect URI's port exactly.
   */
  port?: number;
  /** Milliseconds for the browser to come back and the code exchange to end; default 300000 (5 minutes). */
  callbackTimeout?: number;
  /** Aborting it gives up the login (`LoginCancelledError`). */
  signal?: AbortSignal;
  /**
   * The app as the browser's last page names it: "You can close this tab and return to {appName}."; default
   * "the application" (the CLI says "the terminal"). Plain text, escaped in the page.
   */
  appName?: string;
  /** Ctrl-C while waiting gives up the login cleanly instead of killing the process; default true. */
  cancelOnSigint?: boolean;
  /**
   * Parameters for this login only (`login_hint`, `prompt`, `organization`, …). Without a `prompt` here
   * or in the client's options, the login sends `prompt=consent` (OpenID Connect Core §11: a standard
   * provider issues a refresh token only then), and none to Auth0; an empty `prompt` sends none.
   */
  authorizationParams?: Partial<AuthorizeParams>;
}

export interface LoginResult {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number | undefined;
  /** The scope the server granted, when it said. */
  scope: string | undefined;
  user: User | undefined;
  idTokenClaims: IdTokenClaims | undefined;
}

/** Checked before anything is listened on or requested (checks.ts). */
export const LOGIN_OPTIONS: Readonly<Record<string, Rule>> = {
  openBrowser: [(open) => open === false || typeof open === 'function', 'a function or false'],
  print: FUNCTION,
  port: PORT,
  callbackTimeout: TIMEOUT,
  signal: [(signal) => isRecord(signal) && typeof signal.aborted === 'boolean', 'an AbortSignal'],
  appName: TEXT,
  cancelOnSigint: BOOLEAN,
  authorizationParams: OBJECT,
};

const FIVE_MINUTES = 300_000;

const printToStderr = (message: string) => void process.stderr.write(`${message}\n`);

/** The error a login given up through the caller's `signal` rejects with. */
export const cancelledBy = (signal: AbortSignal | undefined) =>
  new LoginCancelledError('login cancelled', { cause: signal?.reason });

/** One signal for everything that ends the wait: the caller's signal, the timeout, Ctrl-C. */
function waitLimits({ signal, callbackTimeout = FIVE_MINUTES, cancelOnSigint = true }: LoopbackLoginOptions) {
  const controller = new AbortController();
  // Once the browser has answered, what is still missing is the server's part: the code exchange.
  const seconds = callbackTimeout / 1000;
  let late = `no answer from the browser within ${seconds} s`;
  const timer = setTimeout(() => controller.abort(new TimeoutError(late)), callbackTimeout);
  const onSigint = () => controller.abort(new LoginCancelledError('login cancelled (Ctrl-C)'));
  const onAbort = () => controller.abort(cancelledBy(signal));
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (cancelOnSigint) process.once('SIGINT', onSigint);
  return {
    signal: controller.signal,
    browserAnswered() {
      late = `sign-in not finished within ${seconds} s: the server's code exchange had not answered`;
    },
    release() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      process.off('SIGINT', onSigint);
    },
  };
}

const openIt = (url: string) => `Open this URL in a browser to sign in:\n\n  ${url}\n`;
const opening = (url: string) =>
  `Opening a browser to sign in. If none appears, open this URL:\n\n  ${url}\n`;
const WAITING = 'Waiting for the browser to finish signing in… (Ctrl-C to cancel)';
const NOT_OPENED = 'No browser could be opened: open the URL above to sign in.';
/** Said once: such a response is rejected (RFC 8252 §8.9), but the person may wonder why nothing happens. */
const OTHER_STATE =
  'Ignored a sign-in response that was not for this login (another state or issuer, none, or a repeated ' +
  'parameter: a tab from an earlier sign-in, or another page). Still waiting; sign in from the URL above.';

/** Calls the opener: `false` when it failed at once, else whether it did (a promise that never rejects). */
function callOpener(open: BrowserOpener, url: string): boolean | Promise<boolean> {
  let result: ReturnType<BrowserOpener>;
  try {
    result = open(url);
  } catch {
    return false;
  }
  // A promise from another realm is no `instanceof Promise`: any thenable is waited on.
  if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') return result !== false;
  return Promise.resolve(result).then(
    (opened) => opened !== false,
    () => false,
  );
}

/**
 * Opens the browser and tells the person at once, without waiting on the opener, which may itself wait
 * for the whole sign-in (a test or Playwright opener) or for the browser to exit. Its answer only adds
 * that no browser opened; nothing once the login is over.
 */
function sendUserToBrowser(url: string, options: LoopbackLoginOptions, isOver: () => boolean): void {
  const print = options.print ?? printToStderr;
  const open = options.openBrowser === false ? undefined : (options.openBrowser ?? systemBrowser());
  const opened = open ? callOpener(open, url) : false;
  print(opened === false ? openIt(url) : opening(url));
  print(WAITING);
  if (typeof opened === 'boolean') return;
  void opened.then((ok) => {
    if (!ok && !isOver()) print(NOT_OPENED);
  });
}

/** Tells the person, once, that the listener ignored a callback carrying another state (or issuer). */
function otherStateNotice(options: LoopbackLoginOptions): () => void {
  let told = false;
  return () => {
    if (told) return;
    told = true;
    (options.print ?? printToStderr)(OTHER_STATE);
  };
}

/**
 * Core's callback handling (exchange, checks, storing the session), given up with the login: its
 * requests fail at once (`loginBoundFetch`), and a session stored all the same (the login was given up
 * while it was being written) is ended again, its refresh token revoked. A login given up keeps nothing.
 */
async function exchangeUnlessGivenUp(
  { client, internals }: LoginCore,
  url: string,
  signal: AbortSignal,
): Promise<string> {
  let accessToken: string;
  try {
    ({ accessToken } = await withRequestsBoundTo(signal, () => internals.handleCallback(url)));
  } catch (error) {
    throw signal.aborted ? signal.reason : error;
  }
  if (!signal.aborted) return accessToken;
  // Core's logout forgets the session before anything that can fail (the server's metadata).
  await client.logout({ revokeRefreshToken: true }).catch(() => undefined);
  throw signal.reason;
}

/**
 * What the browser is told: the OAuth error code or the failure's code, never a token. This package's
 * own (`login_cancelled`: Ctrl-C or the caller's signal during the exchange) are named too.
 */
const reasonOf = (error: unknown): string =>
  error instanceof AuthorizationError || error instanceof OAuthError
    ? error.error
    : error instanceof GrantflowError || error instanceof NodeAuthError
      ? error.code
      : 'unexpected error';

/** A core client and its parts: the redirect flow gives the `state` it chose with the URL. */
export interface LoginCore {
  client: AuthClient;
  internals: ClientInternals;
}

/**
 * The RFC 8252 loopback flow through a core client, with `listener.redirectUri` as this login's redirect
 * URI: core builds the request (PKCE S256, state, nonce; pushed first under PAR, RFC 9126) and keeps the
 * transaction, checks the response (state, iss, error), exchanges the code and validates the ID token;
 * this only carries the browser's answer from the listener to core.
 */
export async function runLoopbackLogin(
  core: LoginCore,
  listener: LoopbackListener,
  options: LoopbackLoginOptions,
): Promise<LoginResult> {
  // From core, not the URL: a pushed request's URL carries only `client_id` and `request_uri`.
  const { url, state } = await core.internals.flow.start({
    authorizationParams: { ...options.authorizationParams, redirect_uri: listener.redirectUri },
  });
  // RFC 9207: a response with this state but another issuer's `iss` is no answer to this login either.
  const metadata = await core.internals.metadata();
  const fromServer = (callback: string) => fromServerIssuer(parseCallback(callback)!, metadata);
  // The limits cover the wait and the exchange, until the browser has its answer.
  const limits = waitLimits(options);
  let over = false;
  let accessToken: string;
  try {
    // Given up while the request was being built: no browser.
    limits.signal.throwIfAborted();
    const waiting = listener.waitForCallback(state, limits.signal, otherStateNotice(options), fromServer);
    sendUserToBrowser(url, options, () => over);
    const callback = await waiting;
    limits.browserAnswered();
    try {
      accessToken = await exchangeUnlessGivenUp(core, callback.url, limits.signal);
    } catch (error) {
      await callback.respond(failedPage(reasonOf(error), options.appName));
      throw error;
    }
    await callback.respond(signedInPage(options.appName));
  } finally {
    over = true;
    limits.release();
  }
  // The token the sign-in got, even one shorter-lived than the leeway: the sign-in is over, and a
  // refresh (or a missing refresh token) is for the next `getAccessToken`.
  const snapshot = core.client.getSnapshot();
  return {
    accessToken,
    expiresAt: snapshot.accessTokenExpiresAt,
    scope: snapshot.scope,
    user: snapshot.user,
    idTokenClaims: snapshot.idTokenClaims,
  };
}
