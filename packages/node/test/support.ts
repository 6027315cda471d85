import { readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { DEFAULT_AUDIENCE, signIn, startDevIdp, type DevIdp, type DevIdpOptions } from '@grantflow/dev-idp';
import type { FetchLike } from '@grantflow/core';
import {
  createNodeAuthClient,
  fileTokenStorage,
  type BrowserOpener,
  type NodeAuthClient,
  type NodeAuthClientOptions,
} from '../src/index.js';

export const ALICE = { email: 'alice@example.com', password: 'alice-password' };
export const CLI_CLIENT_ID = 'grantflow-cli';
export const AUDIENCE = DEFAULT_AUDIENCE;
export const SCOPE = 'openid profile email read:appointments';

/** One dev IdP for the whole file, on a free port. */
export function devIdpForFile(options: DevIdpOptions = {}): { readonly idp: DevIdp } {
  let idp: DevIdp | undefined;
  beforeAll(async () => {
    idp = await startDevIdp({ port: 0, quiet: true, ...options });
  });
  afterAll(() => idp?.close());
  return {
    get idp() {
      if (!idp) throw new Error('the dev IdP is not started yet');
      return idp;
    },
  };
}

/**
 * The lock file a process `pid` of this machine writes (Linux): its host, pid namespace and boot, which
 * make its pid one that this test process can check.
 */
export const lockOf = (pid: number) =>
  [
    pid,
    hostname(),
    readlinkSync('/proc/self/ns/pid'),
    readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
  ]
    .map((line) => `${line}\n`)
    .join('');

/** A fresh directory per test, removed afterwards. */
export function tempDirs() {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'grantflow-node-'));
    made.push(dir);
    return dir;
  };
}

export interface TokenRequest {
  url: string;
  params: URLSearchParams;
}

/** A client for `issuer` over a token file in `dir`, with its token-endpoint requests recorded. */
export function testClient(issuer: string, dir: string, options: Partial<NodeAuthClientOptions> = {}) {
  const requests: TokenRequest[] = [];
  const fetch: FetchLike = async (url, init) => {
    if (init.body instanceof URLSearchParams) requests.push({ url, params: new URLSearchParams(init.body) });
    return globalThis.fetch(url, init);
  };
  const storage = fileTokenStorage(join(dir, 'tokens.json'));
  const client = createNodeAuthClient({
    issuer,
    clientId: CLI_CLIENT_ID,
    audience: AUDIENCE,
    scope: SCOPE,
    storage,
    fetch,
    ...options,
  });
  return { client, storage, requests };
}

export const jwtPayload = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/** Resolves with the HTTP status, or the error code when the connection was refused. */
export const statusOf = (url: string | URL, init?: RequestInit): Promise<number | string> =>
  fetch(url, init).then(
    async (response) => {
      await response.body?.cancel();
      return response.status;
    },
    (error: unknown) => ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? 'failed',
  );

interface BrowserVisit {
  authorizeUrl: URL;
  callback: URL;
  status: number;
  html: string;
}

/**
 * Plays the browser the way a user would: opens the authorization URL, signs in through the dev IdP's
 * real forms, and follows the redirect to the loopback listener. `tamper` changes the callback first.
 */
export function httpBrowser(
  { consent = 'allow', tamper = (url: URL) => url } = {} as {
    consent?: 'allow' | 'deny';
    tamper?: (url: URL) => URL;
  },
) {
  let visit: Promise<BrowserVisit> | undefined;
  const open: BrowserOpener = (url) => {
    // Like a real opener, return once the browser is started, not once the user is done.
    visit = (async () => {
      const authorizeUrl = new URL(url);
      const callback = tamper(await signIn(authorizeUrl, ALICE, { consent }));
      const response = await fetch(callback);
      return { authorizeUrl, callback, status: response.status, html: await response.text() };
    })();
    return true;
  };
  return {
    open,
    get visit() {
      if (!visit) throw new Error('the browser was never opened');
      return visit;
    },
  };
}

/** Signs `client` in as Alice through the HTTP browser. */
export async function signedIn(client: NodeAuthClient) {
  const browser = httpBrowser();
  const result = await client.login({ openBrowser: browser.open, print: () => undefined });
  await browser.visit;
  return result;
}
