import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { parseCallback } from '@grantflow/core';
import { checkArgument, PORT, type Rule } from './checks.js';

/** RFC 8252 §7.3 and §8.3: the IPv4 loopback literal, never `localhost` (which may resolve elsewhere). */
export const LOOPBACK_HOST = '127.0.0.1';
/** RFC 8252 §7.3: IPv4 first, else IPv6, whichever the machine has. */
export const LOOPBACK_HOSTS: readonly string[] = [LOOPBACK_HOST, '::1'];
/** The errors of an address this machine does not have; anything else (a busy port) is no reason to move on. */
const UNAVAILABLE = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT']);

export interface Page {
  status: number;
  html: string;
}

/** The one authorization response the listener accepted, waiting for its answer. */
export interface AcceptedCallback {
  /** The full callback URL, for `parseCallback` / `handleRedirectCallback`. */
  url: string;
  /** Answers the browser, then the listener closes. */
  respond(page: Page): Promise<void>;
}

export interface LoopbackListener {
  readonly port: number;
  /** `http://127.0.0.1:<port>/callback` (`http://[::1]:<port>/callback` where only IPv6 loopback exists). */
  readonly redirectUri: string;
  /**
   * Resolves with the first GET of the callback path (its query kept) that is an authorization response
   * (`code` or `error`) carrying exactly this `state`; every other request (another path or method,
   * another or no state, a second callback, another Host) is answered 404 (RFC 8252 §8.9: a response
   * without the pending request's state is rejected). `onOtherState` hears of each authorization
   * response on the callback path that carries another state, none, or a repeated parameter while it
   * waits, so the person can be told why nothing happens. With `fromServer`, a response with this state
   * that it refuses (or throws for; RFC 9207: another issuer's) is turned away and reported the same way.
   * Rejects with a `TypeError` for an empty `state`, and with `signal.reason` when the signal aborts.
   */
  waitForCallback(
    state: string,
    signal?: AbortSignal,
    onOtherState?: () => void,
    fromServer?: (url: string) => boolean,
  ): Promise<AcceptedCallback>;
  /** Stops listening and drops open connections; safe to call more than once. */
  close(): Promise<void>;
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // The callback URL carries the code: it must not travel further as a Referer.
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  connection: 'close',
};

function send(res: ServerResponse, { status, html }: Page): Promise<void> {
  return new Promise((resolve) => {
    res.writeHead(status, PAGE_HEADERS);
    res.end(html, () => resolve());
  });
}

const NOT_FOUND: Page = { status: 404, html: '<!doctype html><title>Not found</title><p>Not found.</p>' };

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function listenOn(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * The redirect URI's authority (`host:port`), as a browser writes it: without the default port 80, which
 * browsers then leave out of the Host header too (RFC 9110 §4.2.1, §7.2).
 */
export const loopbackAuthority = (host: string, port: number): string =>
  new URL(`http://${host.includes(':') ? `[${host}]` : host}:${port}`).host;

/** Whether a Host header names the listener: its authority, or with port 80 the explicit `host:80` too. */
export function namesListener(header: string | undefined, host: string, port: number): boolean {
  const authority = loopbackAuthority(host, port);
  return header === authority || (port === 80 && header === `${authority}:80`);
}

/** Listens on the first of `hosts` this machine has; returns that host and the port. */
async function listen(server: Server, port: number, hosts: readonly string[]) {
  let unavailable: unknown = new TypeError('no loopback host to listen on');
  for (const host of hosts) {
    try {
      return { host, port: await listenOn(server, host, port) };
    } catch (error) {
      if (!UNAVAILABLE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      unavailable = error;
    }
  }
  throw unavailable;
}

const parsedCallback = (url: URL) => {
  try {
    return parseCallback(url);
  } catch {
    return undefined; // a repeated parameter: not an authorization response either
  }
};

/** RFC 6749 §3.1.2: the server keeps the redirect URI's query and adds the response's parameters to it. */
const keepsQuery = (url: URL, query: URLSearchParams) =>
  [...query.keys()].every(
    (name) => JSON.stringify(url.searchParams.getAll(name)) === JSON.stringify(query.getAll(name)),
  );

/** The authorization response (`code`/`error`) `req` brings, if any; no `state` when none or repeated. */
function authorizationResponse(
  req: IncomingMessage,
  { host, port }: { host: string; port: number },
  callback: URL,
): { url: URL; state: string | undefined } | undefined {
  // A Host check keeps pages on other origins (DNS rebinding) from reaching the listener.
  if (req.method !== 'GET' || !namesListener(req.headers.host, host, port)) return undefined;
  const authority = loopbackAuthority(host, port);
  const url = URL.parse(req.url ?? '', `http://${authority}`);
  if (url?.origin !== `http://${authority}` || url.pathname !== callback.pathname) return undefined;
  if (!keepsQuery(url, callback.searchParams)) return undefined;
  const response = parsedCallback(url);
  if (response) return { url, state: response.state };
  return url.searchParams.has('code') || url.searchParams.has('error')
    ? { url, state: undefined }
    : undefined;
}

/** The login the listener waits for: its state, where its callback goes, who hears of another state. */
interface Waiter {
  state: string;
  fromServer: (url: string) => boolean;
  accept: (url: URL, res: ServerResponse) => void;
  onOtherState: (() => void) | undefined;
}

/** Whether a response answers the waiting login: its state, from its server (a check that throws: no). */
function answers(waiter: Waiter, { url, state }: { url: URL; state: string | undefined }): boolean {
  try {
    return state !== undefined && state === waiter.state && waiter.fromServer(url.href);
  } catch {
    return false;
  }
}

/** An authorization response's parameters: named in the redirect URI's query, the server's would repeat. */
const RESPONSE_PARAMETERS = ['code', 'state', 'error', 'error_description', 'error_uri', 'iss'];

/**
 * The callback's path and query as the redirect URI's end, or `undefined`: written as a URL writes it
 * (so the browser's request matches it), with no fragment (RFC 6749 §3.1.2).
 */
function callbackOf(path: unknown): URL | undefined {
  if (typeof path !== 'string') return undefined;
  const url = URL.parse(path, `http://${LOOPBACK_HOST}`);
  if (!url || url.pathname + url.search !== path) return undefined;
  return RESPONSE_PARAMETERS.some((name) => url.searchParams.has(name)) ? undefined : url;
}

const PATH = "a URL path ('/callback') as a URL writes it, without a fragment or response parameters";
const HOSTS: Rule = [
  (hosts) =>
    Array.isArray(hosts) && hosts.length > 0 && hosts.every((host) => typeof host === 'string' && isIP(host)),
  'a non-empty array of IP addresses',
];

/**
 * Listens on `127.0.0.1` (or `::1` where the machine has no IPv4 loopback) for exactly one authorization
 * response on `path`; on a port the system picks (RFC 8252 §7.3) unless `port` names one, for providers
 * that match the redirect URI's port exactly.
 */
export async function listenOnLoopback(
  path = '/callback',
  port = 0,
  hosts: readonly string[] = LOOPBACK_HOSTS,
): Promise<LoopbackListener> {
  const callback = callbackOf(path);
  if (!callback) throw new TypeError(`path must be ${PATH}`);
  checkArgument(port, 'port', PORT);
  checkArgument(hosts, 'hosts', HOSTS);
  let expected: Waiter | undefined;
  let accepted = false;
  const server = createServer((req, res) => {
    const response = !accepted && expected ? authorizationResponse(req, bound, callback) : undefined;
    if (response && expected && answers(expected, response)) {
      accepted = true;
      expected.accept(response.url, res);
      return;
    }
    if (response) expected?.onOtherState?.();
    void send(res, NOT_FOUND);
  });
  // Read by the request handler only once listening, so always set by then.
  const bound = await listen(server, port, hosts);
  const close = () => closeServer(server);
  return {
    port: bound.port,
    redirectUri: `http://${loopbackAuthority(bound.host, bound.port)}${path}`,
    close,
    waitForCallback(state, signal, onOtherState, fromServer = () => true) {
      // An empty one would match nothing a server sends, and must never match a response without one.
      if (typeof state !== 'string' || state === '') {
        return Promise.reject(new TypeError('state must be a non-empty string'));
      }
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
          expected = undefined;
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        expected = {
          state,
          fromServer,
          onOtherState,
          accept(url, res) {
            signal?.removeEventListener('abort', onAbort);
            resolve({
              url: url.href,
              respond: async (page) => {
                await send(res, page);
                await close();
              },
            });
          },
        };
      });
    },
  };
}
