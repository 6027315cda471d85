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
import { createGetAccessToken } from './access-token.js';
import { wakeEvents } from './automatic-renewal.js';
import { createSessionExtras } from './session-extras.js';

export type { AuthClient, LogoutOptions } from './auth-client.js';

const noPopup = () =>
  Promise.reject(
    new TypeError('popup sign-in needs the popup module: createAuthClient({ popup: popupWindow() })'),
  );
const withoutPopup = {
  loginWithPopup: noPopup,
  getAccessTokenWithPopup: noPopup,
  forwardPopupCallback: async () => false,
};

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
  const cache = createTokenCache(config.storage, `${prefix}.session`);
  const tokens = createTokenManager({
    config,
    cache,
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
      await report(error);
      throw error;
    }
  };
  const report = (error: unknown) => send({ type: 'FAILED', error: asGrantflowError(error) });
  const popup = config.popup?.({ config, flow, transactions, tokens, send, report }) ?? withoutPopup;
  const getAccessToken = createGetAccessToken(tokens, cache, config);
  const extras = createSessionExtras({
    config,
    cache,
    metadata,
    snapshot: store.getSnapshot,
    accessToken: () => getAccessToken({ detailedResponse: true }),
  });
  const renewal = config.renewal?.({
    session: store.getSnapshot,
    subscribe: store.subscribe,
    renew: () => tokens.getAccessToken(),
    now: config.now,
    leeway: config.leeway,
    timers: environment.timers,
    onWake: wakeEvents(environment.window),
  });

  /** Restores the session when signed out (a page load); resolves when that is done. */
  const settled = async () => {
    if (store.getState().status === 'checking') await restoring;
    else await send({ type: 'CHECK' });
  };

  const client: AuthClient & { [INTERNALS]: ClientInternals } = {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    buildAuthorizeUrl: async (loginOptions) => (await flow.start(loginOptions)).url,
    async loginWithRedirect(loginOptions) {
      await send({ type: 'LOGIN' });
      await config.navigate((await reported(() => flow.start(loginOptions))).url);
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
    getAccessToken,
    loginWithPopup: popup.loginWithPopup,
    getAccessTokenWithPopup: popup.getAccessTokenWithPopup,
    forwardPopupCallback: popup.forwardPopupCallback,
    getUserInfo: extras.getUserInfo,
    onRenewal: (listener) => renewal?.subscribe(listener) ?? (() => undefined),
    getUser: async () => store.getSnapshot().user,
    getIdTokenClaims: async () => store.getSnapshot().idTokenClaims,
    isAuthenticated: async () => store.getSnapshot().isAuthenticated,
    async checkSession() {
      await settled();
      const after = store.getState();
      if (after.status === 'error') throw after.error;
    },
    async logout({ returnTo, localOnly, revokeRefreshToken } = {}) {
      const revoke = await extras.prepareRevocation(revokeRefreshToken);
      await send({ type: 'LOGOUT' });
      // Staying on the page, the revocation needs no waiting for; leaving, it goes first (bounded).
      const revoking = revoke();
      // One key per session: tokens bound to the old one are gone with it.
      if (config.proof?.reset) await config.proof.reset();
      if (localOnly) return;
      await revoking;
      const url = buildLogoutUrl(await metadata(), { clientId, returnTo, auth0: config.auth0Logout });
      if (url) await config.navigate(url.href);
    },
    destroy() {
      renewal?.stop();
      tabs.close();
    },
    [INTERNALS]: { config, store, send, flow, tokens, metadata },
  };
  return client;
}
