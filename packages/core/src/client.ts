import type { AuthClient } from './auth-client.js';
import { createGetAccessToken, tokenRequest } from './access-token.js';
import { createClientParts, type ClientParts } from './client-parts.js';
import { INTERNALS, type ClientInternals } from './internals.js';
import { logout } from './logout.js';
import { answersPendingLogin } from './pending-login.js';
import type { Dpop } from './dpop.js';
import type { ProofOfPossession } from './http.js';
import { resolveOptions, type AuthClientOptions } from './options.js';
import { createSessionExtras } from './session-extras.js';
import { meansSignedOut } from './signed-out.js';

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

/** Proofs for the app's own requests: only `dpop()` makes them; any other `proof` (or none) cannot. */
const proofsFor =
  (proof: ProofOfPossession | undefined): AuthClient['createDpopProof'] =>
  (request) =>
    (proof as Partial<Dpop> | undefined)?.createProof?.(request) ??
    Promise.reject(new TypeError('createDpopProof needs createAuthClient({ proof: dpop() })'));

/** The opt-in automatic renewal, watching the client's session. */
const startRenewal = ({ config, store, tokens }: ClientParts) =>
  config.renewal?.({
    session: store.getSnapshot,
    subscribe: store.subscribe,
    renew: () => tokens.getAccessToken(),
    now: config.now,
    leeway: config.leeway,
    timers: config.environment.timers,
    window: config.environment.window,
  });

/**
 * `checkSession(options)`: restores the session with the token the options name. Signed in already (or by
 * a restore another call started), it gets that token, as Auth0's checkSession does: failing, the session
 * stays (the default token's error in the snapshot), or the server ended it, and signed out is no failure.
 */
const checkSessionOf =
  ({ config, store, tokens, settled }: ClientParts): AuthClient['checkSession'] =>
  async (options) => {
    const request = options && tokenRequest(config, options);
    const restored = await settled(request);
    if (request && !restored && store.getSnapshot().isAuthenticated) {
      await request.within(() => tokens.getAccessToken(request.options)).catch(() => undefined);
    }
    const after = store.getState();
    if (after.status === 'error' && !meansSignedOut(after.error)) throw after.error;
  };

/** Wires the client's parts and opt-in modules together and returns the facade; each concept has its module. */
export function createAuthClient(options: AuthClientOptions): AuthClient {
  const config = resolveOptions(options);
  const { environment } = config;
  // The proof module keys its pair by this client, keeps it where the environment can, and uses its clock.
  config.proof?.attach?.({ clientId: config.clientId, environment, now: config.now });
  const parts = createClientParts(config);
  const { store, flow, tokens, cache, metadata } = parts;
  const popup = config.popup?.(parts) ?? withoutPopup;
  const getAccessToken = createGetAccessToken(tokens, cache, config);
  const extras = createSessionExtras({
    config,
    cache,
    metadata,
    snapshot: store.getSnapshot,
    accessToken: () => getAccessToken({ detailedResponse: true }),
  });
  const renewal = startRenewal(parts);

  // The facade: a declarative object of methods, each delegating to the module that owns the concept.
  const client: AuthClient & { [INTERNALS]: ClientInternals } = {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    buildAuthorizeUrl: async (loginOptions) => (await flow.start(loginOptions)).url,
    async loginWithRedirect(loginOptions) {
      const navigate = loginOptions?.openUrl ?? config.navigate;
      // Refused before a transaction is saved that no page would ever complete.
      if (typeof navigate !== 'function') throw new TypeError('openUrl must be a function');
      await parts.send({ type: 'LOGIN' });
      // A failure (no URL, a throwing `navigate`) reaches the snapshot; a session there stays with it.
      await parts.reported(async () => navigate((await flow.start(loginOptions)).url));
    },
    async handleRedirectCallback(url = environment.location?.href) {
      return { appState: (await parts.handleCallback(url)).appState };
    },
    isCallbackUrl: (url) => flow.isCallbackUrl(url),
    isLoginCallback: (url) => answersPendingLogin(parts.transactions, url),
    // A silent authorization answers at `silentRedirectUri`, which defaults to `redirectUri`.
    isSilentCallback: (url) =>
      environment.framed && (flow.isCallbackUrl(url) || flow.isCallbackUrl(url, config.silentRedirectUri)),
    getAccessToken,
    loginWithPopup: popup.loginWithPopup,
    getAccessTokenWithPopup: popup.getAccessTokenWithPopup,
    forwardPopupCallback: popup.forwardPopupCallback,
    getUserInfo: extras.getUserInfo,
    createDpopProof: proofsFor(config.proof),
    onRenewal: (listener) => renewal?.subscribe(listener) ?? (() => undefined),
    getUser: async () => store.getSnapshot().user,
    getIdTokenClaims: extras.getIdTokenClaims,
    isAuthenticated: async () => store.getSnapshot().isAuthenticated,
    checkSession: checkSessionOf(parts),
    logout: (logoutOptions) => logout(parts, extras.prepareRevocation, logoutOptions),
    destroy() {
      renewal?.stop();
      parts.tabs.close();
    },
    [INTERNALS]: parts,
  };
  return client;
}
