import {
  createAuthClient,
  isRecoverable,
  memoryStorage,
  MissingRefreshTokenError,
  type AuthClient,
  type GetAccessTokenOptions,
  type User,
} from '@grantflow/core';
import { internalsOf } from '@grantflow/core/internal';
import { checkOptions } from './checks.js';
import { asTokenStorageError } from './errors.js';
import { loginPrompt } from './login-prompt.js';
import { loginBoundFetch, withServerFailing } from './login-requests.js';
import { listenOnLoopback } from './loopback-listener.js';
import {
  cancelledBy,
  LOGIN_OPTIONS,
  runLoopbackLogin,
  type LoginCore,
  type LoginResult,
  type LoopbackLoginOptions,
} from './loopback-login.js';
import { resolveNodeOptions, type NodeAuthClientOptions, type ResolvedNodeOptions } from './options.js';
import { storageLock } from './storage-lock.js';

export interface NodeAuthClient {
  /** Signs in through the system browser and a loopback redirect (RFC 8252); the tokens are stored. */
  login(options?: LoopbackLoginOptions): Promise<LoginResult>;
  /**
   * A fresh access token: from storage while valid, else refreshed with the stored refresh token;
   * `cacheMode` as core's (`'cache-only'`: never the server, `LoginRequiredError` without a fresh token).
   */
  getAccessToken(options?: Pick<GetAccessTokenOptions, 'audience' | 'scope' | 'cacheMode'>): Promise<string>;
  /**
   * The signed-in user (the ID token's profile claims), or `undefined` when nobody is; the session is
   * restored from storage first, refreshed when its token has expired (a server that does not answer is
   * asked once: the stored user is the answer). `MissingRefreshTokenError` when
   * signed in, but not for this client's API: that session stays, with its other APIs' grants.
   */
  getUser(): Promise<User | undefined>;
  /** The server's userinfo answer for the signed-in user (OIDC Core §5.3), its `sub` checked: core's. */
  getUserInfo(): Promise<User>;
  /**
   * Revokes the stored refresh tokens at the server (RFC 7009, core's logout: bounded, and never keeping
   * the session), then forgets the session. Rejects when the server's metadata cannot be fetched
   * (`NetworkError`, `TimeoutError`, or `InvalidResponseError` for a 5xx or a malformed document), after
   * the session is forgotten; and with `TokenStorageError` when the token file fails.
   */
  logout(): Promise<void>;
}

// Each login passes its own loopback redirect URI; this one is never used.
const PLACEHOLDER_REDIRECT_URI = 'http://127.0.0.1/callback';

/** Node has no document, location, history, tabs or web storage: core is told so, not left to probe. */
export const NODE_ENVIRONMENT = {
  document: undefined,
  location: undefined,
  history: undefined,
  locks: undefined,
  BroadcastChannel: undefined,
  sessionStorage: undefined,
  localStorage: undefined,
  framed: false,
};

function coreClient(config: ResolvedNodeOptions): LoginCore {
  const client = createAuthClient({
    issuer: config.issuer,
    clientId: config.clientId,
    redirectUri: PLACEHOLDER_REDIRECT_URI,
    audience: config.audience,
    resource: config.resource,
    scope: config.scope,
    refreshWithScope: config.refreshWithScope,
    useRefreshTokens: true,
    storage: config.storage,
    transactionStorage: memoryStorage(),
    tabs: storageLock(config.withLock),
    environment: NODE_ENVIRONMENT,
    authorizationParams: config.authorizationParams,
    leeway: config.leeway,
    timeout: config.timeout,
    fetch: loginBoundFetch(config.fetch),
    now: config.now,
    random: config.random,
    navigate: () => undefined,
  });
  // Made by `createAuthClient`, so it has its parts.
  return { client, internals: internalsOf(client)! };
}

/** Settles as `task`; a failure of the token storage as `TokenStorageError`, as documented. */
const storageFailureTranslated = <T>(task: Promise<T>): Promise<T> =>
  task.catch((error: unknown) => {
    throw asTokenStorageError(error);
  });

/**
 * The signed-in user. Core's restore takes a session without a grant for the default API for none and
 * clears it (a page has one API); here one token file holds a session per issuer and client, its refresh
 * tokens per API, so that case is `MissingRefreshTokenError` and the other APIs' grants stay.
 */
async function userOf(client: AuthClient): Promise<{ user: User | undefined; failure: unknown }> {
  const failure = await client.getAccessToken().then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof MissingRefreshTokenError) throw error;
      return error;
    },
  );
  // Anything else (nobody signed in, a refusal, the server unreachable) is the restore's to judge. A server
  // that has just failed to answer is not asked again: the restore keeps the stored session, with the error.
  const restored = () => client.checkSession();
  await (isRecoverable(failure) ? withServerFailing(failure, restored) : restored());
  return { user: client.getSnapshot().user, failure };
}

/** Clients whose last `getUser()` met a server that did not answer: `grantflow whoami` asks it no more. */
const serverUnanswered = new WeakSet<NodeAuthClient>();
export const serverJustFailed = (client: NodeAuthClient): boolean => serverUnanswered.has(client);

/**
 * A client for a native or command-line app: loopback login, tokens in a file, refresh on demand. One
 * core client does the protocol work; its token manager serves and refreshes the tokens.
 */
export function createNodeAuthClient(options: NodeAuthClientOptions): NodeAuthClient {
  const config = resolveNodeOptions(options);
  const core = coreClient(config);
  const { client } = core;
  const node: NodeAuthClient = {
    async login(loginOptions = {}) {
      checkOptions(loginOptions, LOGIN_OPTIONS);
      // Given up before it began: no listener, no request, no browser.
      if (loginOptions.signal?.aborted) throw cancelledBy(loginOptions.signal);
      const given = loginOptions.authorizationParams?.prompt ?? config.authorizationParams?.prompt;
      const authorizationParams = { ...loginOptions.authorizationParams, prompt: loginPrompt(config, given) };
      const listener = await listenOnLoopback('/callback', loginOptions.port);
      try {
        return await storageFailureTranslated(
          runLoopbackLogin(core, listener, { ...loginOptions, authorizationParams }),
        );
      } finally {
        await listener.close();
      }
    },
    getAccessToken: (request = {}) => storageFailureTranslated(client.getAccessToken(request)),
    getUser: () =>
      storageFailureTranslated(
        userOf(client).then(({ user, failure }) => {
          if (isRecoverable(failure)) serverUnanswered.add(node);
          else serverUnanswered.delete(node);
          return user;
        }),
      ),
    getUserInfo: () => storageFailureTranslated(client.getUserInfo()),
    // Core revokes first, then clears the session; the end-session URL it builds after has no page to
    // leave here, and `navigate` drops it.
    logout: () => storageFailureTranslated(client.logout()),
  };
  return node;
}

/** Signs in once through the browser (RFC 8252 loopback) and stores the tokens; see `createNodeAuthClient`. */
// Async: a bad option rejects, as every other failure does, rather than throwing at the call.
export const loginWithLoopback = async (options: NodeAuthClientOptions & LoopbackLoginOptions) =>
  createNodeAuthClient(options).login(options);
