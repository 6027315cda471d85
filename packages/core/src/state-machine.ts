import type { GrantflowError } from './errors.js';
import type { IdTokenClaims, User } from './id-token.js';

export type AuthStatus =
  'unauthenticated' | 'checking' | 'redirecting' | 'exchanging' | 'authenticated' | 'refreshing' | 'error';

/** What the UI may know of a signed-in session; the tokens themselves stay in the token cache. */
export interface Session {
  user: User;
  idTokenClaims: IdTokenClaims;
  /** Epoch ms of the default-audience access token. */
  accessTokenExpiresAt: number | undefined;
  scope: string | undefined;
}

export type AuthState =
  | { status: 'unauthenticated' | 'checking' | 'redirecting' | 'exchanging' }
  | { status: 'authenticated' | 'refreshing'; session: Session }
  /** A failure; `session` is kept when it was transient (the refresh token survives, a later call retries). */
  | { status: 'error'; error: GrantflowError; session: Session | undefined };

export type AuthEvent =
  /** `checkSession()` starts restoring a session. */
  | { type: 'CHECK' }
  /** `loginWithRedirect()` is about to leave the page. */
  | { type: 'LOGIN' }
  /** `handleRedirectCallback()` is exchanging the code. */
  | { type: 'CALLBACK' }
  /** Tokens were obtained or renewed. */
  | { type: 'AUTHENTICATED'; session: Session }
  /** Nothing to restore, or the server said `login_required`. */
  | { type: 'UNAUTHENTICATED' }
  /** A refresh of the default token starts. */
  | { type: 'REFRESH' }
  /** An operation failed; `endSession` when the session is gone for good (e.g. `invalid_grant`). */
  | { type: 'FAILED'; error: GrantflowError; endSession?: boolean }
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

/**
 * The token state machine, pure. An event that does not apply to a state returns that same state object
 * and no effects, so the store commits (and notifies) nothing.
 */
export function transition(state: AuthState, event: AuthEvent): Transition {
  const { status } = state;
  const session = sessionOf(state);
  const to = (next: AuthState, ...effects: AuthEffect[]): Transition => ({ state: next, effects });
  switch (event.type) {
    case 'CHECK':
    case 'REMOTE_LOGIN':
      return !session && (status === 'unauthenticated' || status === 'error')
        ? to({ status: 'checking' }, { type: 'restore' })
        : to(state);
    case 'LOGIN':
      return status === 'redirecting' || status === 'exchanging' ? to(state) : to({ status: 'redirecting' });
    case 'CALLBACK':
      return status === 'exchanging' ? to(state) : to({ status: 'exchanging' });
    case 'AUTHENTICATED':
      // The page is leaving for the authorization server: a late result changes nothing.
      if (status === 'redirecting') return to(state);
      return to(
        { status: 'authenticated', session: event.session },
        ...(status === 'exchanging' ? [broadcast('login')] : []),
      );
    case 'UNAUTHENTICATED':
      return status === 'checking' ? to({ status: 'unauthenticated' }) : to(state);
    case 'REFRESH':
      return session && status !== 'refreshing' ? to({ status: 'refreshing', session }) : to(state);
    case 'FAILED':
      return event.endSession
        ? to({ status: 'error', error: event.error, session: undefined }, clearSession(), broadcast('logout'))
        : to({ status: 'error', error: event.error, session });
    case 'LOGOUT':
      return to(
        status === 'unauthenticated' ? state : { status: 'unauthenticated' },
        clearSession(),
        broadcast('logout'),
      );
    case 'REMOTE_LOGOUT':
      return session ? to({ status: 'unauthenticated' }, clearSession()) : to(state);
  }
}

export interface AuthSnapshot {
  status: AuthStatus;
  /** authenticated, refreshing, or an error that kept the session. */
  isAuthenticated: boolean;
  /** checking, redirecting or exchanging. */
  isLoading: boolean;
  user: User | undefined;
  idTokenClaims: IdTokenClaims | undefined;
  accessTokenExpiresAt: number | undefined;
  scope: string | undefined;
  error: GrantflowError | undefined;
}

export function toSnapshot(state: AuthState): AuthSnapshot {
  const session = sessionOf(state);
  const { status } = state;
  return {
    status,
    isAuthenticated: !!session,
    isLoading: status === 'checking' || status === 'redirecting' || status === 'exchanging',
    user: session?.user,
    idTokenClaims: session?.idTokenClaims,
    accessTokenExpiresAt: session?.accessTokenExpiresAt,
    scope: session?.scope,
    error: status === 'error' ? state.error : undefined,
  };
}

export interface AuthStore {
  getSnapshot(): AuthSnapshot;
  subscribe(listener: (snapshot: AuthSnapshot) => void): () => void;
  getState(): AuthState;
  /** Applies an event; effects run after the commit and after listeners were told. Returns their results. */
  send(event: AuthEvent): unknown[];
}

/** The small interpreter: holds the state, commits transitions, notifies once per change, runs effects. */
export function createStore(
  initial: AuthState,
  runEffect: (effect: AuthEffect) => unknown,
  reducer: typeof transition = transition,
): AuthStore {
  let state = initial;
  let snapshot = toSnapshot(state);
  const listeners = new Set<(snapshot: AuthSnapshot) => void>();
  return {
    getSnapshot: () => snapshot,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    send(event) {
      const result = reducer(state, event);
      if (result.state !== state) {
        state = result.state;
        snapshot = toSnapshot(state);
        for (const listener of [...listeners]) listener(snapshot);
      }
      return result.effects.map(runEffect);
    },
  };
}
