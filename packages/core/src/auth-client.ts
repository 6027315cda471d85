import type { IdTokenClaims, User } from './id-token.js';
import type { LoginOptions } from './redirect-flow.js';
import type { AuthSnapshot } from './state-machine.js';
import type { GetAccessTokenOptions } from './token-manager.js';

export interface LogoutOptions {
  returnTo?: string;
  /** End the session here only, without visiting the server's logout endpoint. */
  localOnly?: boolean;
}

export interface AuthClient {
  getSnapshot(): AuthSnapshot;
  subscribe(listener: (snapshot: AuthSnapshot) => void): () => void;
  /** Creates verifier, state and nonce, stores the single-use transaction, and returns the URL. */
  buildAuthorizeUrl(options?: LoginOptions): Promise<string>;
  loginWithRedirect(options?: LoginOptions): Promise<void>;
  handleRedirectCallback(url?: string): Promise<{ appState: unknown }>;
  isCallbackUrl(url: string): boolean;
  /** A callback loaded inside a frame: a silent authorization's answer, which the parent page reads. */
  isSilentCallback(url: string): boolean;
  getAccessToken(options?: GetAccessTokenOptions): Promise<string>;
  getUser(): Promise<User | undefined>;
  getIdTokenClaims(): Promise<IdTokenClaims | undefined>;
  isAuthenticated(): Promise<boolean>;
  checkSession(): Promise<void>;
  logout(options?: LogoutOptions): Promise<void>;
  destroy(): void;
}
