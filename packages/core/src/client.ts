import { parseCallback } from './callback.js';
import { StateMismatchError, type GrantflowError } from './errors.js';
import type { AuthClient } from './auth-client.js';
import { INTERNALS, type ClientInternals } from './internals.js';
import { buildLogoutUrl } from './logout.js';
import { resolveOptions, type AuthClientOptions } from './options.js';
import { createRedirectFlow } from './redirect-flow.js';
import { createServerMetadata } from './server-metadata.js';
import type { AuthEffect, AuthEvent } from './state-machine.js';
import { createStore } from './store.js';
import { createTransactionStore } from './storage.js';
import { singleTab } from './tab-sync.js';
import { createTokenCache } from './token-cache.js';
import { asGrantflowError, createTokenManager } from './token-manager.js';

export type { AuthClient, LogoutOptions } from './auth-client.js';

/** Wires the client's parts together; each concept lives in its own module. */
export function createAuthClient(options: AuthClientOptions): AuthClient {
  const config = resolveOptions(options);
  const { issuer, clientId, environment } = config;
  const prefix = `grantflow.${clientId}`;
  const metadata = createServerMetadata(config);
  const transactions = createTransactionStore(config.transactionStorage, `${prefix}.tx.`, config.now);
  let restoring: Promise<void> | undefined;
  const runEffect = (effect: AuthEffect): unknown =>
    effect.type === 'clearSession'
      ? tokens.clear()
      : effect.type === 'broadcast'
        ? tabs.post(effect.message)
        : (restoring = tokens.restore());
  const store = createStore({ status: 'unauthenticated' }, runEffect);
  const send = (event: AuthEvent) => Promise.all(store.send(event));
  const onMessage = (message: string) =>
    void send({ type: message === 'login' ? 'REMOTE_LOGIN' : 'REMOTE_LOGOUT' });
  const name = `grantflow:${issuer}:${clientId}`;
  const tabs = config.tabs ? config.tabs({ name, environment, onMessage }) : singleTab();
  const flow = createRedirectFlow({ config, metadata, transactions, tokens: () => tokens, send });
  const tokens = createTokenManager({
    config,
    cache: createTokenCache(config.storage, `${prefix}.session`),
    metadata,
    lock: (task) => tabs.withLock(task),
    send,
    snapshot: store.getSnapshot,
    renewSilently: config.silentAuthorization?.({ config, flow }),
  });

  /** Runs `task`; a failure reaches the state machine before it is rethrown. */
  const reported = async <T>(task: () => Promise<T>): Promise<T> => {
    try {
      return await task();
    } catch (error) {
      await send({ type: 'FAILED', error: asGrantflowError(error) });
      throw error;
    }
  };
  /** Restores the session when signed out (a page load); resolves when that is done. */
  const settled = async () => {
    if (store.getState().status === 'checking') await restoring;
    else await send({ type: 'CHECK' });
  };

  const client: AuthClient & { [INTERNALS]: ClientInternals } = {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    buildAuthorizeUrl: (loginOptions) => flow.start(loginOptions),
    async loginWithRedirect(loginOptions) {
      await send({ type: 'LOGIN' });
      await config.navigate(await reported(() => flow.start(loginOptions)));
    },
    async handleRedirectCallback(url = environment.location?.href) {
      if (typeof url !== 'string') throw new TypeError('url is required');
      const params = parseCallback(url);
      // Not a callback: leave the URL and the state alone.
      if (!params) throw new StateMismatchError('not a callback URL');
      try {
        return await reported(() =>
          flow.complete(params).catch(async (error: GrantflowError) => {
            // An unknown or spent `state` changes nothing but `error`: the session (a reload's, too) stays.
            if (error.code === 'state_mismatch' || error.code === 'missing_transaction') await settled();
            throw error;
          }),
        );
      } finally {
        flow.cleanUrl(url);
      }
    },
    isCallbackUrl: flow.isCallbackUrl,
    isSilentCallback: (url) => environment.framed && flow.isCallbackUrl(url),
    getAccessToken: tokens.getAccessToken,
    getUser: async () => store.getSnapshot().user,
    getIdTokenClaims: async () => store.getSnapshot().idTokenClaims,
    isAuthenticated: async () => store.getSnapshot().isAuthenticated,
    async checkSession() {
      await settled();
      const after = store.getState();
      if (after.status === 'error') throw after.error;
    },
    async logout({ returnTo, localOnly } = {}) {
      await send({ type: 'LOGOUT' });
      if (localOnly) return;
      const url = buildLogoutUrl(await metadata(), { clientId, returnTo, auth0: config.auth0Logout });
      if (url) await config.navigate(url.href);
    },
    destroy: () => tabs.close(),
    [INTERNALS]: { config, store, send, flow, tokens, metadata },
  };
  return client;
}
