import type { IdTokenClaims, User } from './id-token.js';
import type { LoginOptions } from './redirect-flow.js';
import type { AuthSnapshot } from './state-machine.js';
import type { AccessTokenOptions, GetAccessToken } from './access-token.js';
import type { RenewalEvent } from './automatic-renewal.js';
import type { PopupTokenOptions } from './popup-flow.js';
import type { PopupConfig } from './popup.js';
import type { DpopProofRequest } from './dpop-proof.js';

export interface LogoutOptions {
  returnTo?: string;
  /** End the session here only, without visiting the server's logout endpoint. */
  localOnly?: boolean;
  /** Revoke the refresh tokens first (RFC 7009); default the client's `revokeRefreshTokenOnLogout` (true). */
  revokeRefreshToken?: boolean;
  /** Auth0: also sign out of the upstream identity provider (`/v2/logout?federated`). */
  federated?: boolean;
  /** Send the ID token as `id_token_hint` to the end-session endpoint; default the client's `idTokenHintOnLogout`. */
  idTokenHint?: boolean;
  /**
   * Auth0's SDK's spelling: `returnTo` and `federated` as above (the top-level ones win); other values are
   * added to the logout URL as query parameters (e.g. `ui_locales`).
   */
  logoutParams?: { returnTo?: string; federated?: boolean; [param: string]: unknown };
  /**
   * Auth0's SDK's: the `client_id` the logout URL names, at Auth0's `/v2/logout` as at an end-session
   * endpoint (RP-Initiated Logout §2); default (and for `''`) the client's; `null` names none.
   */
  clientId?: string | null;
  /** Auth0's SDK's spelling: `false` is `localOnly: true`; a function leaves the page instead of `navigate`. */
  openUrl?: false | ((url: string) => void | Promise<void>);
}

export interface AuthClient {
  getSnapshot(): AuthSnapshot;
  subscribe(listener: (snapshot: AuthSnapshot) => void): () => void;
  /** Creates verifier, state and nonce, stores the single-use transaction, and returns the URL. */
  buildAuthorizeUrl(options?: LoginOptions): Promise<string>;
  loginWithRedirect(options?: LoginOptions): Promise<void>;
  /**
   * Completes the login at `url` (default: this page). A second call for the same URL while the first runs
   * shares its outcome; after that its state is spent (`state_mismatch`).
   */
  handleRedirectCallback(url?: string): Promise<{ appState: unknown }>;
  isCallbackUrl(url: string): boolean;
  /**
   * Whether `url` answers a redirect login this client started and has not completed, wherever that login
   * asked to come back (its own `redirect_uri` included): its transaction for the URL's `state` names the
   * URL's origin and path. A popup's login, an unknown or spent `state` and look-alike parameters are not.
   */
  isLoginCallback(url: string): Promise<boolean>;
  /** A callback loaded inside a frame: a silent authorization's answer, which the parent page reads. */
  isSilentCallback(url: string): boolean;
  /** The access token; `{ detailedResponse: true }` gives `{ access_token, id_token, expires_in, scope, token_type }`. */
  getAccessToken: GetAccessToken;
  /**
   * Signs in in a popup (the `popup` module). Call it straight from a click handler: the window opens
   * before anything is awaited. Rejects with `popup_blocked`, `popup_closed` (also when a newer popup
   * sign-in takes its window over, as a double click does) or `timeout`. `config`:
   * Auth0's `{ popup, timeoutInSeconds }`, a window the app opened itself and this sign-in's time limit.
   */
  loginWithPopup(options?: LoginOptions, config?: PopupConfig): Promise<{ appState: unknown }>;
  /** A token for another audience or scope, consented in a popup; `config` as `loginWithPopup`'s. */
  getAccessTokenWithPopup(options?: PopupTokenOptions, config?: PopupConfig): Promise<string>;
  /** On the redirect page inside a sign-in popup: hands the callback to the opener (true) instead of exchanging it. */
  forwardPopupCallback(url: string): Promise<boolean>;
  /** The userinfo endpoint's profile; its `sub` is checked against the ID token's. */
  getUserInfo(): Promise<User>;
  /**
   * A DPoP proof (RFC 9449) for a request the app makes itself, by the `proof: dpop()` module: send it as
   * the `DPoP` header beside `Authorization: DPoP <accessToken>`. Rejects with a `TypeError` without it.
   */
  createDpopProof(request: DpopProofRequest): Promise<string>;
  /** Events of the `renewal` module (`renewed`, `renew_failed`); returns the unsubscribe. */
  onRenewal(listener: (event: RenewalEvent) => void): () => void;
  getUser(): Promise<User | undefined>;
  /** The ID token's claims, and the raw ID token as `__raw` (as Auth0's SDK gives it). */
  getIdTokenClaims(): Promise<(IdTokenClaims & { __raw?: string }) | undefined>;
  isAuthenticated(): Promise<boolean>;
  /**
   * Restores a session without interaction, with the token `options` name (as `getAccessToken`'s); once
   * signed in, gets that token as Auth0's `checkSession` does. "Not signed in" resolves, signed out.
   */
  checkSession(options?: AccessTokenOptions & { detailedResponse?: boolean }): Promise<void>;
  logout(options?: LogoutOptions): Promise<void>;
  destroy(): void;
}
