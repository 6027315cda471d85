import {
  LoginRequiredError,
  createAuthClient,
  memoryStorage,
  type AuthClient,
  type GetAccessTokenOptions,
  type User,
} from '@grantflow/core';
import { listenOnLoopback } from './loopback-listener.js';
import { runLoopbackLogin, type LoginResult, type LoopbackLoginOptions } from './loopback-login.js';
import { resolveNodeOptions, type NodeAuthClientOptions, type ResolvedNodeOptions } from './options.js';
import { revokeRefreshTokens } from './revoke-session.js';

export interface NodeAuthClient {
  /** Signs in through the system browser and a loopback redirect (RFC 8252); the tokens are stored. */
  login(options?: LoopbackLoginOptions): Promise<LoginResult>;
  /** A fresh access token: from storage while valid, else refreshed with the stored refresh token. */
  getAccessToken(options?: Pick<GetAccessTokenOptions, 'audience' | 'scope'>): Promise<string>;
  /** The signed-in user (the ID token's profile claims); refreshes first when the token has expired. */
  getUser(): Promise<User | undefined>;
  /**
   * Revokes the stored refresh tokens at the server (RFC 7009) where it offers that, then forgets the
   * session. The session is forgotten even when revoking fails; `revocationError` says why it failed.
   */
  logout(): Promise<LogoutResult>;
}

export interface LogoutResult {
  /** The server revoked the refresh tokens. */
  revoked: boolean;
  revocationError?: unknown;
}

// Only logins redirect; the client that refreshes never sends anyone anywhere.
const UNUSED_REDIRECT_URI = 'http://127.0.0.1/callback';

function coreClient(config: ResolvedNodeOptions, redirectUri: string): AuthClient {
  return createAuthClient({
    issuer: config.issuer,
    clientId: config.clientId,
    redirectUri,
    audience: config.audience,
    scope: config.scope,
    useRefreshTokens: true,
    storage: config.storage,
    transactionStorage: memoryStorage(),
    authorizationParams: config.authorizationParams,
    leeway: config.leeway,
    timeout: config.timeout,
    fetch: config.fetch,
    now: config.now,
    random: config.random,
    navigate: () => undefined,
  });
}

/** A client for a native or command-line app: loopback login, tokens in a file, refresh on demand. */
export function createNodeAuthClient(options: NodeAuthClientOptions): NodeAuthClient {
  const config = resolveNodeOptions(options);
  const tokens = coreClient(config, UNUSED_REDIRECT_URI);

  async function getAccessToken(request: Pick<GetAccessTokenOptions, 'audience' | 'scope'> = {}) {
    try {
      return await tokens.getAccessToken({ ...request, cacheMode: 'cache-only' });
    } catch (error) {
      if (!(error instanceof LoginRequiredError)) throw error;
    }
    // Refreshing is one at a time across processes; inside, core reads the storage again first, so a
    // token another process just refreshed is used rather than refreshed twice.
    return config.withLock(() => tokens.getAccessToken(request));
  }

  return {
    async login(loginOptions = {}) {
      const listener = await listenOnLoopback('/callback', loginOptions.port);
      const client = coreClient(config, listener.redirectUri);
      try {
        return await runLoopbackLogin(client, listener, loginOptions);
      } finally {
        await listener.close();
        client.destroy();
      }
    },
    getAccessToken,
    async getUser() {
      await getAccessToken();
      await tokens.checkSession();
      return tokens.getSnapshot().user;
    },
    async logout() {
      const result: LogoutResult = await revokeRefreshTokens(config).then(
        (revoked) => ({ revoked }),
        (revocationError: unknown) => ({ revoked: false, revocationError }),
      );
      await tokens.logout({ localOnly: true });
      return result;
    },
  };
}

/** Signs in once through the browser (RFC 8252 loopback) and stores the tokens; see `createNodeAuthClient`. */
export const loginWithLoopback = (options: NodeAuthClientOptions & LoopbackLoginOptions) =>
  createNodeAuthClient(options).login(options);
