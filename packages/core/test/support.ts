import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signIn, startDevIdp, type DevIdp, type DevIdpOptions } from '@grantflow/dev-idp';
import {
  createAuthClient,
  type AuthClient,
  type AuthClientOptions,
  type Environment,
  type PopupWindowLike,
  type Timers,
} from '../src/index.js';
import { memoryStorage, type StorageAdapter } from '../src/storage.js';

export const REDIRECT_URI = 'http://localhost:5999/callback';
export const ALICE = { email: 'alice@example.com', password: 'alice-password' };

/** vi.waitFor's limit for what the dev IdP or another tab does: its 1 s default is less than one round
 * trip can take on a loaded machine; a wait still ends once it passes. */
export const EVENTUALLY = { timeout: 15_000 };

export const startIdp = (options: DevIdpOptions = {}): Promise<DevIdp> =>
  startDevIdp({ port: 0, quiet: true, redirectUris: [REDIRECT_URI], accessTokenTtl: 90, ...options });

export interface TokenRequest {
  url: string;
  params: URLSearchParams;
}

/** A client wired for Node: captured navigations, a movable clock, counted token requests. */
export function testClient(issuer: string, options: Partial<AuthClientOptions> = {}) {
  const navigations: string[] = [];
  const tokenRequests: TokenRequest[] = [];
  const storage: StorageAdapter =
    options.storage && typeof options.storage === 'object' ? options.storage : memoryStorage();
  const clock = { offset: 0 };
  const client: AuthClient = createAuthClient({
    issuer,
    clientId: 'grantflow-demo',
    redirectUri: REDIRECT_URI,
    audience: 'https://api.grantflow.local/appointments',
    scope: 'openid profile email read:appointments',
    now: () => Date.now() + clock.offset,
    navigate: (url) => void navigations.push(url),
    fetch: async (url, init) => {
      if (init.body instanceof URLSearchParams)
        tokenRequests.push({ url, params: new URLSearchParams(init.body) });
      return fetch(url, init);
    },
    ...options,
    // A named storage (`'local'`) is the client's to resolve; `storage` is then not the one in use.
    storage: typeof options.storage === 'string' ? options.storage : storage,
  });
  /** Moves the client's clock past the point where the default token is no longer handed out. */
  const expireTokens = () => {
    clock.offset += 31_000;
  };
  return { client, navigations, tokenRequests, storage, clock, expireTokens };
}

/** Redirects to the dev IdP, signs in through its real forms, and handles the callback. */
export async function login(
  client: AuthClient,
  navigations: string[],
  loginOptions: Parameters<AuthClient['loginWithRedirect']>[0] = {},
  credentials = ALICE,
): Promise<{ callback: string; appState: unknown }> {
  await client.loginWithRedirect(loginOptions);
  const callback = (await signIn(navigations.at(-1)!, credentials)).href;
  const { appState } = await client.handleRedirectCallback(callback);
  return { callback, appState };
}

export const jwtPayload = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

export type ProxyMode = 'pass' | 'unreachable' | '503' | 'hang';

/** A reverse proxy in front of the dev IdP whose behaviour a test switches; the IdP keeps its state. */
export async function startProxy(
  target: string,
): Promise<{ url: string; mode: ProxyMode; close(): Promise<void> }> {
  const upstream = new URL(target);
  const control = { mode: 'pass' as ProxyMode };
  const server: Server = createServer((req, res) => {
    if (control.mode === 'unreachable') return void req.socket.destroy();
    if (control.mode === 'hang') return;
    if (control.mode === '503') {
      res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Service Unavailable</h1>');
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return control.mode;
    },
    set mode(mode: ProxyMode) {
      control.mode = mode;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type LockCallback<T> = (lock: unknown) => Promise<T>;

/**
 * The dev IdP's endpoints with only the token endpoint behind a switchable proxy; explicit endpoints, so
 * no discovery request goes through it.
 */
export async function proxiedTokenEndpoint(idp: DevIdp) {
  const proxy = await startProxy(idp.issuer);
  const metadata = (await (await fetch(`${idp.issuer}.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const endpoints = {
    authorization: metadata.authorization_endpoint,
    token: `${proxy.url}${new URL(metadata.token_endpoint).pathname}`,
  };
  return { proxy, endpoints };
}

/** The Web Locks semantics the core relies on: exclusive, granted in request order, `ifAvailable` at once. */
export function fakeLockManager() {
  const held = new Set<string>();
  const waiting = new Map<string, Array<() => void>>();
  async function request<T>(
    name: string,
    ...args: [LockCallback<T>] | [{ ifAvailable?: boolean }, LockCallback<T>]
  ): Promise<T> {
    const [options, callback] = args.length === 1 ? [{}, args[0]] : args;
    if (held.has(name)) {
      if (options.ifAvailable) return callback(null);
      await new Promise<void>((resolve) => waiting.set(name, [...(waiting.get(name) ?? []), resolve]));
    }
    held.add(name);
    try {
      return await callback({ name });
    } finally {
      const next = waiting.get(name)?.shift();
      if (next) next();
      else held.delete(name);
    }
  }
  return { request };
}

/**
 * Two tabs' views of one `localStorage`: each sees its own writes at once and the other's `lagMs` later,
 * as browsers pass writes between tabs (processes) asynchronously.
 */
export function laggingSharedStorage(lagMs: number): [StorageAdapter, StorageAdapter] {
  const views = [new Map<string, string>(), new Map<string, string>()];
  const view = (own: Map<string, string>, other: Map<string, string>): StorageAdapter => ({
    get: (key) => own.get(key),
    set(key, value) {
      own.set(key, value);
      setTimeout(() => other.set(key, value), lagMs);
    },
    remove(key) {
      own.delete(key);
      setTimeout(() => other.delete(key), lagMs);
    },
  });
  return [view(views[0]!, views[1]!), view(views[1]!, views[0]!)];
}

/**
 * Timers on a virtual clock (`Environment['timers']` and a `now`), recording each delay. They run only
 * when a test fires one, or moves the clock past them with `advance`. A fired timeout is gone, as a
 * runtime's is; an interval stays until cleared.
 */
export function manualTimers(start = OFFLINE_NOW) {
  const pending = new Map<number, { run: () => void; ms: number; due: number; repeats: boolean }>();
  let next = 0;
  let clock = start;
  let advancing = false;
  // A zero delay set while the clock advances waits 1 ms, as under vitest's fake timers: time passes
  // while code runs, and a timer that re-arms itself at 0 would otherwise never let the clock move.
  const begin = (repeats: boolean) => (run: () => void, ms: number) => {
    pending.set(++next, { run, ms, due: clock + Math.max(advancing ? 1 : 0, ms), repeats });
    return next;
  };
  const clear = (id: unknown) => void pending.delete(id as number);
  const timers: Timers = {
    setTimeout: begin(false),
    clearTimeout: clear,
    setInterval: begin(true),
    clearInterval: clear,
  };
  const withDelay = (ms: number) => [...pending].filter(([, timer]) => timer.ms === ms).map(([id]) => id);
  /** The delays of the timers still pending, in the order they were set. */
  const delays = () => [...pending.values()].map((timer) => timer.ms);
  const fire = (id: number) => {
    const timer = pending.get(id);
    if (!timer?.repeats) pending.delete(id);
    timer?.run();
  };
  /** The pending timer due first by `end`, the one set first on a tie, as runtimes order them. */
  const firstDue = (end: number) =>
    [...pending].filter(([, timer]) => timer.due <= end).sort(([, a], [, b]) => a.due - b.due)[0];
  /** Lets the promise chains the timers started settle, as they do between a runtime's macrotasks. */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  /**
   * Moves the clock `ms` on, as `vi.advanceTimersByTimeAsync` does: the timers due meanwhile fire in due
   * order, each with the clock at its due time and the chains it started settled before the next.
   */
  async function advance(ms: number): Promise<void> {
    const end = clock + ms;
    advancing = true;
    try {
      await settle();
      for (let first = firstDue(end); first; first = firstDue(end)) {
        const [id, timer] = first;
        clock = timer.due;
        if (timer.repeats) timer.due += Math.max(1, timer.ms);
        else pending.delete(id);
        timer.run();
        await settle();
      }
      clock = end;
    } finally {
      advancing = false;
    }
  }
  /**
   * Sets the clock without running a timer, as a machine finds it when it wakes from a sleep: a pending
   * timer still waits what it had left (as `vi.setSystemTime` does).
   */
  const set = (time: number) => {
    for (const timer of pending.values()) timer.due += time - clock;
    clock = time;
  };
  return { timers, withDelay, delays, fire, now: () => clock, advance, set };
}

/** A virtual clock and its timers (`manualTimers()`). */
export type ManualTimers = ReturnType<typeof manualTimers>;

export const OFFLINE_ISSUER = 'https://idp.example/';
export const OFFLINE_NOW = 1_700_000_000_000;

/**
 * A client (of client ID `app` unless given) at an issuer that is never asked for metadata (explicit endpoints), on a
 * fixed clock, whose storage already holds `session` (as a page load finds it), and whose requests are
 * answered by `answer`.
 */
export function offlineClient(
  session: { claims?: Record<string, unknown>; refresh_tokens?: Record<string, string>; tokens?: object },
  answer: (url: string) => Promise<Response>,
  options: Partial<AuthClientOptions> = {},
) {
  const storage = memoryStorage();
  const claims = session.claims && {
    iss: OFFLINE_ISSUER,
    sub: 'u',
    aud: 'app',
    iat: OFFLINE_NOW / 1000,
    exp: OFFLINE_NOW / 1000 + 60,
    ...session.claims,
  };
  storage.set(
    `grantflow.${options.clientId ?? 'app'}.session`,
    JSON.stringify({ claims, refresh_tokens: session.refresh_tokens ?? {}, tokens: session.tokens ?? {} }),
  );
  const requests: string[] = [];
  const client = createAuthClient({
    issuer: OFFLINE_ISSUER,
    clientId: 'app',
    redirectUri: 'https://app.example/callback',
    endpoints: { authorization: `${OFFLINE_ISSUER}authorize`, token: `${OFFLINE_ISSUER}token` },
    storage,
    now: () => OFFLINE_NOW,
    navigate: () => undefined,
    fetch: (url) => (requests.push(url), answer(url)),
    ...options,
    environment: { sessionStorage: undefined, localStorage: undefined, ...options.environment },
  });
  return { client, requests, storage };
}

export const OFFLINE_END_SESSION = `${OFFLINE_ISSUER}session/end`;

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An (unsigned) ID token of `offlineClient`'s issuer for its user `u`, with these extra claims. */
export const offlineIdToken = (claims: Record<string, unknown>) =>
  `${segment({ alg: 'RS256' })}.${segment({ iss: OFFLINE_ISSUER, sub: 'u', aud: 'app', iat: OFFLINE_NOW / 1000, exp: OFFLINE_NOW / 1000 + 600, ...claims })}.c2ln`;

/**
 * An `offlineClient` (with an end-session endpoint) signed in through its callback, the code exchanged for
 * an ID token with these extra claims; its navigations are recorded.
 */
export async function offlineSignedIn(
  claims: Record<string, unknown>,
  options: Partial<AuthClientOptions> = {},
) {
  const navigations: string[] = [];
  let nonce = '';
  const answer = async () =>
    Response.json({
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: 600,
      id_token: offlineIdToken({ nonce, ...claims }),
    });
  const { client, requests } = offlineClient({}, answer, {
    endpoints: {
      authorization: `${OFFLINE_ISSUER}authorize`,
      token: `${OFFLINE_ISSUER}token`,
      endSession: OFFLINE_END_SESSION,
    },
    navigate: (url) => void navigations.push(url),
    ...options,
  });
  await client.loginWithRedirect();
  const authorize = new URL(navigations[0]!).searchParams;
  nonce = authorize.get('nonce')!;
  await client.handleRedirectCallback(`https://app.example/callback?code=c&state=${authorize.get('state')}`);
  if (!client.getSnapshot().isAuthenticated) throw new Error('the offline sign-in made no session');
  return { client, navigations, requests, idToken: offlineIdToken({ nonce, ...claims }) };
}

/** The cache key of the default token of `offlineClient` (no audience, the default scopes). */
export const OFFLINE_TOKEN_KEY = ' email openid profile';

/** A Web `Storage`, as `localStorage` is to the client, over a synchronous adapter (a new memory one by default). */
export function webStorageOver(adapter: StorageAdapter = memoryStorage()): Storage {
  return {
    getItem: (key: string) => (adapter.get(key) as string | null | undefined) ?? null,
    setItem: (key: string, value: string) => void adapter.set(key, value),
    removeItem: (key: string) => void adapter.remove(key),
  } as unknown as Storage;
}

/**
 * The app's page at `https://app.example/` (or one whose location is unknown), without web storage, whose
 * `window.open` gives `popup`: the environment of a popup sign-in's tests.
 */
export const popupOpenerPage = (
  popup: PopupWindowLike | null,
  knowsItsLocation = true,
): Partial<Environment> => ({
  window: {
    opener: null,
    open: () => popup,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  },
  location: knowsItsLocation ? { href: 'https://app.example/', assign: () => undefined } : undefined,
  sessionStorage: undefined,
  localStorage: undefined,
});

/**
 * Signed in at page load with an ID token of these `claims`, a fresh access token `at1` and refresh token
 * `rt1` (with `offline_access` asked for); its token requests, to the offline issuer's token endpoint
 * only, are answered by `answer(n)` for the n-th (from 1), and `spent` lists the refresh token each sent.
 */
export function offlineRefreshing(claims: Record<string, unknown>, answer: (request: number) => Response) {
  const spent: Array<string | null> = [];
  const { client, storage } = offlineClient(
    {
      claims,
      refresh_tokens: { '': 'rt1' },
      tokens: {
        ' email offline_access openid profile': { access_token: 'at1', expires_at: OFFLINE_NOW + 300_000 },
      },
    },
    () => Promise.reject(new TypeError('no other request expected')),
    {
      useRefreshTokens: true,
      fetch: async (url, init) => {
        if (url !== `${OFFLINE_ISSUER}token`) throw new TypeError(`unexpected request to ${url}`);
        spent.push(new URLSearchParams(init.body as URLSearchParams).get('refresh_token'));
        return answer(spent.length);
      },
    },
  );
  return { client, storage, spent };
}
