import type { GrantflowError } from './errors.js';
import type { IdTokenClaims, User } from './id-token.js';
import { meansSignedOut, refusedByServer } from './signed-out.js';

export type AuthStatus =
  | 'unauthenticated'
  | 'checking'
  | 'redirecting'
  | 'authorizing'
  | 'exchanging'
  | 'authenticated'
  | 'refreshing'
  | 'error';

/** What the UI may know of a signed-in session; the tokens themselves stay in the token cache. */
export interface Session {
  user: User;
  idTokenClaims: IdTokenClaims;
  /** Epoch ms of the default-audience access token. */
  accessTokenExpiresAt: number | undefined;
  scope: string | undefined;
  /** `Bearer`, or `DPoP` for a token bound to the `proof` module's key. */
  tokenType?: string | undefined;
}

export type AuthState =
  | { status: 'unauthenticated' }
  /** Restoring; `again`: another tab signed in meanwhile, so what this restore read may predate it. */
  | { status: 'checking'; again?: boolean }
  /** A sign-in under way (redirect, popup, code exchange); a session already there stays visible meanwhile. */
  | { status: 'redirecting' | 'authorizing' | 'exchanging'; session: Session | undefined }
  /** Signed in; `error` is the last failure that left the session in place, until the next success. */
  | { status: 'authenticated' | 'refreshing'; session: Session; error?: GrantflowError | undefined }
  /** A failure without a session. */
  | { status: 'error'; error: GrantflowError };

export type AuthEvent =
  /** `checkSession()` starts restoring a session. */
  | { type: 'CHECK' }
  /** `loginWithRedirect()` is about to leave the page. */
  | { type: 'LOGIN' }
  /** An interactive sign-in that keeps the page (a popup window) started. */
  | { type: 'AUTHORIZE' }
  /** A callback's code is being exchanged. */
  | { type: 'CALLBACK' }
  /** Tokens were obtained or renewed; `restoring`: what a restore found (see `restored`). */
  | { type: 'AUTHENTICATED'; session: Session; restoring?: boolean | undefined }
  /** Restoring found nothing (`restoring`), or a callback's tokens make no session. */
  | { type: 'UNAUTHENTICATED'; restoring?: boolean | undefined }
  /** A renewal of the default audience's token starts. */
  | { type: 'REFRESH' }
  /**
   * An operation failed: what it means for the session is decided here, from `error.code`. `renewal`
   * marks a token renewal's failure: `default` for the default audience's token, `other` for another
   * audience's (which fails that call only).
   */
  | {
      type: 'FAILED';
      error: GrantflowError;
      renewal?: 'default' | 'other' | undefined;
      /** Restoring failed: the session found in storage, shown with the error unless it means signed out. */
      stored?: Session | undefined;
      /** A restore's failure: it only speaks while `checking`; once another action moved on, that one's outcome counts. */
      restoring?: boolean | undefined;
    }
  | { type: 'LOGOUT' }
  /** Another tab logged in or out. */
  | { type: 'REMOTE_LOGIN' }
  | { type: 'REMOTE_LOGOUT' };

/** Side effects, as data, for the client's interpreter to run after the state is committed. */
export type AuthEffect =
  { type: 'clearSession' } | { type: 'broadcast'; message: 'login' | 'logout' } | { type: 'restore' };

export interface Transition {
  state: AuthState;
  effects: AuthEffect[];
}

const sessionOf = (state: AuthState): Session | undefined => ('session' in state ? state.session : undefined);

const broadcast = (message: 'login' | 'logout'): AuthEffect => ({ type: 'broadcast', message });
const clearSession = (): AuthEffect => ({ type: 'clearSession' });
const restore: AuthEffect = { type: 'restore' };
/** A restore that may have read the storage before another tab's sign-in: read it again. */
const restoreAgain = (): Transition => ({ state: { status: 'checking' }, effects: [restore] });
const outrunByLogin = (state: AuthState) => state.status === 'checking' && !!state.again;

function failed(
  state: AuthState,
  { error, renewal, stored, restoring }: Extract<AuthEvent, { type: 'FAILED' }>,
): Transition {
  const session = sessionOf(state);
  // Another tab signed in while this restore was out: its failure may only mean it looked too early.
  if (restoring && outrunByLogin(state)) return restoreAgain();
  // A page-load restore outrun by a login, popup or logout: its failure is stale.
  if (restoring && state.status !== 'checking') return { state, effects: [] };
  // Another audience's token failing ends no session.
  if (renewal === 'other') return { state, effects: [] };
  // A signed-out caller's renewal just gets its error. When it was a stored session the server refused
  // (a first call before `checkSession()`), that goes, so the rejected refresh token is not sent again;
  // a sign-in under way is left alone.
  if (renewal === 'default' && !session) {
    const settled = state.status === 'unauthenticated' || state.status === 'error';
    return { state, effects: settled && refusedByServer(error) ? [clearSession()] : [] };
  }
  // The user closed the sign-in popup: no failure of the session. Signed out as before, the call rejects.
  if (error.code === 'popup_closed' && !session) {
    return { state: state.status === 'authorizing' ? { status: 'unauthenticated' } : state, effects: [] };
  }
  // Restoring found no usable session: signed out, and whatever stale remains is dropped.
  if (state.status === 'checking' && meansSignedOut(error)) {
    return { state: { status: 'unauthenticated' }, effects: [clearSession()] };
  }
  // Restoring failed otherwise (the IdP down at page load): the stored session stays visible, with the error.
  if (state.status === 'checking' && stored) {
    return { state: { status: 'authenticated', session: stored, error }, effects: [] };
  }
  if (!session) return { state: { status: 'error', error }, effects: [] };
  // Only the server can end the session: the default audience's renewal refused (refresh token rejected,
  // or a silent authorization's `login_required`). A sign-in that fails, even with `login_required`, ends none.
  if (renewal === 'default' && error.code === 'login_required') {
    return { state: { status: 'error', error }, effects: [clearSession(), broadcast('logout')] };
  }
  // Anything else (network, timeout, 5xx, a malformed answer, a stale callback) keeps the session.
  return { state: { status: 'authenticated', session, error }, effects: [] };
}

/**
 * What a restore found. A logout (here or in another tab) or a failure since it started ended what it read:
 * the late result is stale. A sign-in or renewal under way keeps going, over the session found.
 */
function restored(state: AuthState, session: Session | undefined): Transition {
  const { status } = state;
  if (outrunByLogin(state)) {
    // What it found may be the session that sign-in replaced: the stored one is read again.
    return session ? { state: { status: 'authenticated', session }, effects: [restore] } : restoreAgain();
  }
  if (!session) return { state: status === 'checking' ? { status: 'unauthenticated' } : state, effects: [] };
  if (status === 'unauthenticated' || status === 'error' || status === 'redirecting') {
    return { state, effects: [] };
  }
  const next =
    status === 'authorizing' || status === 'exchanging' || status === 'refreshing' ? status : 'authenticated';
  return { state: { status: next, session }, effects: [] };
}

/**
 * The token state machine, pure. An event that does not apply to a state returns that same state object
 * and no effects, so the store commits (and notifies) nothing.
 */
export function transition(state: AuthState, event: AuthEvent): Transition {
  const { status } = state;
  const session = sessionOf(state);
  const to = (next: AuthState, ...effects: AuthEffect[]): Transition => ({ state: next, effects });
  const busy = status === 'redirecting' || status === 'exchanging';
  switch (event.type) {
    case 'CHECK':
    case 'REMOTE_LOGIN':
      if (!session && (status === 'unauthenticated' || status === 'error')) {
        return to({ status: 'checking' }, restore);
      }
      if (event.type === 'CHECK') return to(state);
      // Another tab signed in, perhaps as someone else: a signed-in tab reads the stored session again,
      // and a restore under way does once it is done.
      if (status === 'checking' && !state.again) return to({ status: 'checking', again: true });
      return status === 'authenticated' ? to(state, restore) : to(state);
    case 'LOGIN':
      return busy ? to(state) : to({ status: 'redirecting', session });
    case 'AUTHORIZE':
      return busy || status === 'authorizing' ? to(state) : to({ status: 'authorizing', session });
    case 'CALLBACK':
      return status === 'exchanging' ? to(state) : to({ status: 'exchanging', session });
    case 'AUTHENTICATED':
      if (event.restoring) return restored(state, event.session);
      // The page is leaving for the authorization server: a late result changes nothing.
      if (status === 'redirecting') return to(state);
      return to(
        { status: 'authenticated', session: event.session },
        ...(status === 'exchanging' || status === 'authorizing' ? [broadcast('login')] : []),
      );
    case 'UNAUTHENTICATED':
      if (event.restoring) return restored(state, undefined);
      // Restoring found nothing, or a callback's tokens make no session (a login without `openid`).
      return status === 'checking' || status === 'exchanging' ? to({ status: 'unauthenticated' }) : to(state);
    case 'REFRESH':
      return state.status === 'authenticated' ? to({ ...state, status: 'refreshing' }) : to(state);
    case 'FAILED':
      return failed(state, event);
    case 'LOGOUT':
      return to(
        status === 'unauthenticated' ? state : { status: 'unauthenticated' },
        clearSession(),
        broadcast('logout'),
      );
    case 'REMOTE_LOGOUT':
      // A restore under way read what that logout ended: clearing makes its late tokens stale too.
      return session || status === 'checking' ? to({ status: 'unauthenticated' }, clearSession()) : to(state);
  }
}

export interface AuthSnapshot {
  status: AuthStatus;
  /** A session is there: authenticated or refreshing (perhaps with an `error`), or authorizing over one. */
  isAuthenticated: boolean;
  /** checking, redirecting, authorizing or exchanging. */
  isLoading: boolean;
  user: User | undefined;
  idTokenClaims: IdTokenClaims | undefined;
  accessTokenExpiresAt: number | undefined;
  scope: string | undefined;
  /** That token's type: `Bearer`, or `DPoP` when it is bound to the `proof` module's key. */
  tokenType: string | undefined;
  /** The last failure: with a session it stays signed in, and the next success clears it. */
  error: GrantflowError | undefined;
}

export function toSnapshot(state: AuthState): AuthSnapshot {
  const session = sessionOf(state);
  const { status } = state;
  return {
    status,
    isAuthenticated: !!session,
    isLoading:
      status === 'checking' ||
      status === 'redirecting' ||
      status === 'authorizing' ||
      status === 'exchanging',
    user: session?.user,
    idTokenClaims: session?.idTokenClaims,
    accessTokenExpiresAt: session?.accessTokenExpiresAt,
    scope: session?.scope,
    tokenType: session?.tokenType,
    error: 'error' in state ? state.error : undefined,
  };
}
