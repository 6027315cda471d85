import type { ServerMetadata } from './discovery.js';
import type { ClientConfig } from './options.js';
import type { CallbackOutcome, RedirectFlow } from './redirect-flow.js';
import type { AuthEvent } from './state-machine.js';
import type { AuthStore } from './store.js';
import type { TokenManager } from './token-manager.js';

/** Where a client keeps its parts, for opt-in modules (popup, loopback, DPoP); not for apps. */
export const INTERNALS = Symbol.for('@grantflow/core:internals');

/** A client's parts: resolved options, state machine, redirect flow, token manager, server metadata. */
export interface ClientInternals {
  config: ClientConfig;
  store: AuthStore;
  /** Sends an event to the state machine and waits for its effects. */
  send(event: AuthEvent): Promise<unknown>;
  flow: RedirectFlow;
  /**
   * The facade's `handleRedirectCallback`, with the access token the sign-in got: the cache does not hand
   * out one that lives no longer than the leeway, yet it is what a finished sign-in has to show.
   */
  handleCallback(url: string | undefined): Promise<CallbackOutcome>;
  tokens: TokenManager;
  metadata(): Promise<ServerMetadata>;
}

/** The parts of a client made by `createAuthClient`, or `undefined` for any other object (a test double). */
export function internalsOf(client: object): ClientInternals | undefined {
  return (client as { [INTERNALS]?: ClientInternals })[INTERNALS];
}
