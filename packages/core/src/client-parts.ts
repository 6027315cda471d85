import type { ServerMetadata } from './discovery.js';
import { asGrantflowError } from './errors.js';
import type { ClientInternals } from './internals.js';
import type { ClientConfig } from './options.js';
import { createCallbackHandler } from './callback-handler.js';
import { createRedirectFlow } from './redirect-flow.js';
import { createServerMetadata } from './server-metadata.js';
import type { AuthEffect, AuthEvent } from './state-machine.js';
import { createStore, type AuthStore } from './store.js';
import { createTransactionStore, type TransactionStore } from './storage.js';
import { singleTab, type TabSync } from './tab-sync.js';
import { createTokenCache, type TokenCache } from './token-cache.js';
import { createTokenManager, type TokenManager, type TokenRequest } from './token-manager.js';

/** The parts every client has, wired together; the facade and the opt-in modules build on them. */
export interface ClientParts extends ClientInternals {
  metadata(): Promise<ServerMetadata>;
  transactions: TransactionStore;
  cache: TokenCache;
  tabs: TabSync;
  /** Tells the state machine about a failure. */
  report(error: unknown): Promise<unknown>;
  /** Runs `task`; a failure reaches the state machine before it is rethrown. */
  reported<T>(task: () => Promise<T>): Promise<T>;
  /**
   * Restores the session when signed out (a page load), with the token `request` asks for; resolves when
   * that is done, with whether this call started the restore (else one under way was awaited, or none ran).
   */
  settled(request?: TokenRequest): Promise<boolean>;
}

/** Runs a task; a failure is reported before it is rethrown. */
const reportedTo =
  (report: ClientParts['report']): ClientParts['reported'] =>
  async (task) => {
    try {
      return await task();
    } catch (error) {
      await report(error);
      throw error;
    }
  };

/**
 * The restores CHECK (and another tab's login) set off: the token manager's, with the token the
 * `checkSession()` sending CHECK asks for; another tab's login restores the default.
 */
function pageLoadRestores(tokens: () => TokenManager) {
  let running: Promise<void> | undefined;
  let asked: TokenRequest | undefined;
  return {
    run: () => (running = tokens().restore(asked)),
    async settle(store: AuthStore, request: TokenRequest | undefined): Promise<boolean> {
      if (store.getState().status === 'checking') {
        await running;
        return false;
      }
      asked = request;
      try {
        // Kept until the restore is over: one restarted meanwhile (another tab signed in) asks the same.
        const effects = store.send({ type: 'CHECK' });
        await Promise.all(effects);
        return effects.length > 0;
      } finally {
        asked = undefined;
      }
    },
  };
}

export function createClientParts(config: ClientConfig): ClientParts {
  const { issuer, clientId, environment } = config;
  const prefix = `grantflow.${clientId}`;
  const metadata = createServerMetadata(config);
  const transactions = createTransactionStore(config.transactionStorage, `${prefix}.tx.`, config.now);
  const restores = pageLoadRestores(() => tokens);
  // The state machine's effects, run after each commit.
  const runEffect = (effect: AuthEffect): unknown =>
    effect.type === 'clearSession'
      ? tokens.clear()
      : effect.type === 'broadcast'
        ? tabs.post(effect.message)
        : restores.run();
  const store = createStore({ status: 'unauthenticated' }, runEffect);
  const send = (event: AuthEvent) => Promise.all(store.send(event));
  // Another tab's news; a failure of what it sets off (a storage that throws) goes to the snapshot.
  const onMessage = (message: string) =>
    void send({ type: message === 'login' ? 'REMOTE_LOGIN' : 'REMOTE_LOGOUT' }).catch(report);
  const name = `grantflow:${issuer}:${clientId}`;
  // Storage the tabs share brings its own lock, so a rotating refresh token is never spent twice.
  const tabs = config.tabs
    ? config.tabs({ name, environment, onMessage })
    : singleTab(config.sharedStorage ? environment.locks : undefined, name);
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
  const report = (error: unknown) => send({ type: 'FAILED', error: asGrantflowError(error) });
  const parts: ClientParts = {
    config,
    store,
    send,
    flow,
    tokens,
    metadata,
    transactions,
    cache,
    tabs,
    report,
    reported: reportedTo(report),
    settled: (request) => restores.settle(store, request),
    handleCallback: (url) => handleCallback(url),
  };
  const handleCallback = createCallbackHandler(parts);
  return parts;
}
