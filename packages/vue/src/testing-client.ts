import {
  LoginRequiredError,
  type AuthClient,
  type AuthSnapshot,
  type AuthStatus,
  type DpopProofRequest,
  type GetAccessToken,
  type GetAccessTokenOptions,
  type GrantflowError,
  type IdTokenClaims,
  type LoginOptions,
  type LogoutOptions,
  type PopupTokenOptions,
  type RenewalEvent,
  type User,
} from '@grantflow/core';
import { deepFreeze } from '@grantflow/core/internal';
import { readOnlyCopy } from './read-only-copy.js';

export interface TestingAuthOptions {
  /** Signed in or anonymous. Default: true. */
  authenticated?: boolean;
  /** Who is signed in. Default: `TEST_USER`. */
  user?: User;
  idTokenClaims?: IdTokenClaims;
  /** Another status than the one `authenticated` implies, e.g. `'checking'`. */
  status?: AuthStatus;
  /** What `getAccessToken()` resolves to while signed in. Default: `'test-access-token'`. */
  accessToken?: string;
  scope?: string;
  accessTokenExpiresAt?: number;
  /** `Bearer` (default while signed in) or `DPoP`. */
  tokenType?: string;
  /** What `createDpopProof()` resolves to. Default: `'test-dpop-proof'`. */
  dpopProof?: string;
  error?: GrantflowError;
}

export const TEST_USER: User = deepFreeze({ sub: 'test|user', name: 'Test User', email: 'test@example.com' });

/** What a test may set; the rest of the snapshot follows from it as in the core. */
export type TestingAuthState = Partial<Omit<AuthSnapshot, 'isLoading'>>;

type FakeState = Omit<AuthSnapshot, 'isLoading'>;

// The core's rule: signed in while authenticated or refreshing (perhaps with the `error` of a failure
// that kept the session), or redirecting, authorizing or exchanging over a session.
const OVER_A_SESSION = new Set<string>(['redirecting', 'authorizing', 'exchanging']);
const signedIn = ({ status, isAuthenticated }: FakeState) =>
  status === 'authenticated' || status === 'refreshing' || (OVER_A_SESSION.has(status) && isAuthenticated);

/**
 * A client with the core's interface whose state the test sets. It never touches the network or the
 * location, and records the calls made to it.
 */
export class TestingAuthClient implements AuthClient {
  readonly calls = {
    loginWithRedirect: [] as (LoginOptions | undefined)[],
    buildAuthorizeUrl: [] as (LoginOptions | undefined)[],
    logout: [] as (LogoutOptions | undefined)[],
    getAccessToken: [] as (GetAccessTokenOptions | undefined)[],
    loginWithPopup: [] as (LoginOptions | undefined)[],
    getAccessTokenWithPopup: [] as (PopupTokenOptions | undefined)[],
    createDpopProof: [] as DpopProofRequest[],
  };
  destroyed = false;
  accessToken: string;
  dpopProof: string;
  private state: FakeState;
  private snapshot: AuthSnapshot;
  private readonly listeners = new Set<(snapshot: AuthSnapshot) => void>();

  constructor(options: TestingAuthOptions = {}) {
    const authenticated = options.authenticated ?? true;
    this.accessToken = options.accessToken ?? 'test-access-token';
    this.dpopProof = options.dpopProof ?? 'test-dpop-proof';
    this.state = {
      status: options.status ?? (authenticated ? 'authenticated' : 'unauthenticated'),
      isAuthenticated: authenticated,
      user: readOnlyCopy(options.user ?? TEST_USER),
      idTokenClaims: readOnlyCopy(options.idTokenClaims),
      accessTokenExpiresAt: options.accessTokenExpiresAt,
      scope: options.scope,
      tokenType: options.tokenType ?? 'Bearer',
      error: options.error,
    };
    this.snapshot = this.derive();
  }

  // The core's rules: user data only while signed in (a session always has a user); an error in the
  // error status, or beside a session.
  private derive(): AuthSnapshot {
    const { status } = this.state;
    const isAuthenticated = signedIn(this.state);
    return {
      ...this.state,
      isAuthenticated,
      isLoading:
        status === 'checking' ||
        status === 'redirecting' ||
        status === 'authorizing' ||
        status === 'exchanging',
      user: isAuthenticated ? (this.state.user ?? TEST_USER) : undefined,
      idTokenClaims: isAuthenticated ? this.state.idTokenClaims : undefined,
      accessTokenExpiresAt: isAuthenticated ? this.state.accessTokenExpiresAt : undefined,
      scope: isAuthenticated ? this.state.scope : undefined,
      tokenType: isAuthenticated ? this.state.tokenType : undefined,
      error:
        status === 'error' || (isAuthenticated && status !== 'authorizing') ? this.state.error : undefined,
    };
  }

  getSnapshot(): AuthSnapshot {
    return this.snapshot;
  }

  subscribe(listener: (snapshot: AuthSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /**
   * Moves the fake to another state and notifies subscribers, as the core does on a commit. An
   * `isAuthenticated` without a `status` signs the fake in or out (`authenticated` or
   * `unauthenticated`) unless the status already says so: the status is what the snapshot follows.
   */
  setState(patch: TestingAuthState): void {
    const next = { ...this.state, ...patch };
    if ('user' in patch) next.user = readOnlyCopy(patch.user);
    if ('idTokenClaims' in patch) next.idTokenClaims = readOnlyCopy(patch.idTokenClaims);
    const wanted = patch.isAuthenticated;
    if (patch.status === undefined && wanted !== undefined && signedIn(next) !== wanted) {
      next.status = wanted ? 'authenticated' : 'unauthenticated';
    }
    // What a later status keeps (a login over a session) is whether there is one now.
    next.isAuthenticated = signedIn(next);
    this.state = next;
    this.snapshot = this.derive();
    for (const listener of this.listeners) listener(this.snapshot);
  }

  async loginWithRedirect(options?: LoginOptions): Promise<void> {
    this.calls.loginWithRedirect.push(options);
    this.setState({ status: 'redirecting' });
  }

  /** Records the options; a fake stores no transaction and names a host that cannot exist (`.invalid`). */
  async buildAuthorizeUrl(options?: LoginOptions): Promise<string> {
    this.calls.buildAuthorizeUrl.push(options);
    return 'https://idp.invalid/authorize';
  }

  async handleRedirectCallback(): Promise<{ appState: unknown }> {
    return { appState: undefined };
  }

  // A fake starts no real login, so no address answers one (a popup's neither).
  isCallbackUrl(): boolean {
    return false;
  }

  async isLoginCallback(): Promise<boolean> {
    return false;
  }

  async forwardPopupCallback(): Promise<boolean> {
    return false;
  }

  isSilentCallback(): boolean {
    return false;
  }

  readonly getAccessToken = (async (options?: GetAccessTokenOptions & { detailedResponse?: boolean }) => {
    this.calls.getAccessToken.push(options);
    if (!this.snapshot.isAuthenticated) throw new LoginRequiredError('not logged in (testing auth client)');
    if (!options?.detailedResponse) return this.accessToken;
    const { accessTokenExpiresAt, scope, tokenType } = this.snapshot;
    const expiresIn = accessTokenExpiresAt === undefined ? 3600 : (accessTokenExpiresAt - Date.now()) / 1000;
    return {
      access_token: this.accessToken,
      expires_in: Math.max(0, Math.round(expiresIn)),
      scope,
      token_type: tokenType ?? 'Bearer',
    };
  }) as GetAccessToken;

  async loginWithPopup(options?: LoginOptions): Promise<{ appState: unknown }> {
    this.calls.loginWithPopup.push(options);
    this.setState({ status: 'authenticated', isAuthenticated: true });
    return { appState: options?.appState };
  }

  /** Signs in as `loginWithPopup` does and resolves to `accessToken`. */
  async getAccessTokenWithPopup(options?: PopupTokenOptions): Promise<string> {
    this.calls.getAccessTokenWithPopup.push(options);
    this.setState({ status: 'authenticated', isAuthenticated: true });
    return this.accessToken;
  }

  /** The `idTokenClaims` while signed in (a fake has no raw ID token, so no `__raw`). */
  async getIdTokenClaims(): Promise<IdTokenClaims | undefined> {
    return this.snapshot.idTokenClaims;
  }

  private readonly renewalListeners = new Set<(event: RenewalEvent) => void>();

  onRenewal(listener: (event: RenewalEvent) => void): () => void {
    this.renewalListeners.add(listener);
    return () => void this.renewalListeners.delete(listener);
  }

  /** Tells `onRenewal` listeners (and `useAuth().renewal`) of an automatic renewal event. */
  emitRenewal(event: RenewalEvent): void {
    for (const listener of this.renewalListeners) listener(event);
  }

  async getUser(): Promise<User | undefined> {
    return this.snapshot.user;
  }

  async isAuthenticated(): Promise<boolean> {
    return this.snapshot.isAuthenticated;
  }

  async getUserInfo(): Promise<User> {
    if (!this.snapshot.isAuthenticated || !this.snapshot.user) {
      throw new LoginRequiredError('not logged in (testing auth client)');
    }
    return this.snapshot.user;
  }

  /** Records the request and resolves to `dpopProof`: a fake signs nothing. */
  async createDpopProof(request: DpopProofRequest): Promise<string> {
    this.calls.createDpopProof.push(request);
    return this.dpopProof;
  }

  async checkSession(): Promise<void> {}

  async logout(options?: LogoutOptions): Promise<void> {
    this.calls.logout.push(options);
    this.setState({ status: 'unauthenticated' });
  }

  destroy(): void {
    this.destroyed = true;
    this.listeners.clear();
  }
}
