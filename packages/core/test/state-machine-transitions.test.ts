import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AuthorizationError,
  LoginRequiredError,
  MissingRefreshTokenError,
  NetworkError,
  OAuthError,
  PopupClosedError,
  StateMismatchError,
} from '../src/errors.js';
import type { AuthEvent, AuthState, Session } from '../src/state-machine.js';
import { transition } from '../src/state-machine.js';

const session = { user: { sub: 'u1' }, idTokenClaims: { sub: 'u1' } } as unknown as Session;
const newer = { user: { sub: 'u1', name: 'N' }, idTokenClaims: { sub: 'u1' } } as unknown as Session;
const oldError = new NetworkError('old');

const states: Record<string, AuthState> = {
  unauthenticated: { status: 'unauthenticated' },
  checking: { status: 'checking' },
  // Another tab signed in while this restore was out.
  checkingAgain: { status: 'checking', again: true },
  redirecting: { status: 'redirecting', session: undefined },
  redirectingOverSession: { status: 'redirecting', session },
  authorizing: { status: 'authorizing', session: undefined },
  authorizingOverSession: { status: 'authorizing', session },
  exchanging: { status: 'exchanging', session: undefined },
  exchangingOverSession: { status: 'exchanging', session },
  authenticated: { status: 'authenticated', session },
  authenticatedWithError: { status: 'authenticated', session, error: oldError },
  refreshing: { status: 'refreshing', session },
  error: { status: 'error', error: oldError },
};

const failures = {
  FAILED_NETWORK: new NetworkError('down'),
  FAILED_LOGIN_REQUIRED: new LoginRequiredError('refresh token rejected', {
    cause: new OAuthError({ error: 'invalid_grant' }, 400),
  }),
  FAILED_CONSENT_REQUIRED: new AuthorizationError({ error: 'consent_required' }),
  FAILED_STATE_MISMATCH: new StateMismatchError('unknown state'),
  FAILED_MISSING_REFRESH_TOKEN: new MissingRefreshTokenError('no refresh token'),
  FAILED_INTERACTION_REQUIRED: new AuthorizationError({ error: 'interaction_required' }),
  FAILED_ACCESS_DENIED: new AuthorizationError({ error: 'access_denied' }),
  FAILED_POPUP_CLOSED: new PopupClosedError('closed'),
};

const events: Record<string, AuthEvent> = {
  CHECK: { type: 'CHECK' },
  LOGIN: { type: 'LOGIN' },
  AUTHORIZE: { type: 'AUTHORIZE' },
  CALLBACK: { type: 'CALLBACK' },
  AUTHENTICATED: { type: 'AUTHENTICATED', session: newer },
  UNAUTHENTICATED: { type: 'UNAUTHENTICATED' },
  // What a restore found: stale once a logout or failure came in between.
  AUTHENTICATED_RESTORED: { type: 'AUTHENTICATED', session: newer, restoring: true },
  UNAUTHENTICATED_RESTORED: { type: 'UNAUTHENTICATED', restoring: true },
  REFRESH: { type: 'REFRESH' },
  ...Object.fromEntries(Object.entries(failures).map(([name, error]) => [name, { type: 'FAILED', error }])),
  // Token renewals: the default audience's, and another audience's (which fails that call only).
  FAILED_RENEWAL_NETWORK: { type: 'FAILED', error: failures.FAILED_NETWORK, renewal: 'default' },
  FAILED_RENEWAL_LOGIN_REQUIRED: {
    type: 'FAILED',
    error: failures.FAILED_LOGIN_REQUIRED,
    renewal: 'default',
  },
  // A silent renewal answered `login_required` (prompt=none): the server's answer, with no cause.
  FAILED_RENEWAL_SILENT_LOGIN_REQUIRED: {
    type: 'FAILED',
    error: new LoginRequiredError({ error: 'login_required' }),
    renewal: 'default',
  },
  // Nothing stored to renew with: no answer of the server's, so nothing to clear where no session shows.
  FAILED_RENEWAL_NOT_LOGGED_IN: {
    type: 'FAILED',
    error: new LoginRequiredError('not logged in'),
    renewal: 'default',
  },
  // Restoring failed, with a session in storage or without one.
  FAILED_NETWORK_STORED: { type: 'FAILED', error: failures.FAILED_NETWORK, stored: newer, restoring: true },
  FAILED_LOGIN_REQUIRED_STORED: {
    type: 'FAILED',
    error: failures.FAILED_LOGIN_REQUIRED,
    stored: newer,
    restoring: true,
  },
  FAILED_RESTORE_LOGIN_REQUIRED: { type: 'FAILED', error: failures.FAILED_LOGIN_REQUIRED, restoring: true },
  FAILED_RESTORE_NETWORK: { type: 'FAILED', error: failures.FAILED_NETWORK, restoring: true },
  FAILED_OTHER_AUDIENCE_LOGIN_REQUIRED: {
    type: 'FAILED',
    error: failures.FAILED_LOGIN_REQUIRED,
    renewal: 'other',
  },
  LOGOUT: { type: 'LOGOUT' },
  REMOTE_LOGIN: { type: 'REMOTE_LOGIN' },
  REMOTE_LOGOUT: { type: 'REMOTE_LOGOUT' },
};

/** The string literals of one exported type of the state machine's source: what the table must cover. */
function literalsOf(typeName: string, pattern: RegExp): string[] {
  const source = readFileSync(new URL('../src/state-machine.ts', import.meta.url), 'utf8');
  const start = source.indexOf(`export type ${typeName} =`);
  const end = source.indexOf(';\n\n', start);
  expect(start, `${typeName} in state-machine.ts`).toBeGreaterThan(-1);
  return [...source.slice(start, end).matchAll(pattern)].map((match) => match[1]!);
}

const SIGNED_OUT = 'unauthenticated/-/-/clearSession,broadcast:logout';
const ENDED = 'error/-/new/clearSession,broadcast:logout';

/**
 * Expected outcome of every state × event pair, written out by hand: `=` keeps the very same state
 * object (optionally `=/effects`); otherwise `status/session/error/effects`, where session is `-`,
 * `old` or `new`, error is `-`, `old` or `new` (the event's), and effects are comma-separated
 * (`broadcast` carries `:message`).
 */
const table: Record<string, Record<string, string>> = {
  unauthenticated: {
    CHECK: 'checking/-/-/restore',
    LOGIN: 'redirecting/-/-/',
    AUTHORIZE: 'authorizing/-/-/',
    CALLBACK: 'exchanging/-/-/',
    AUTHENTICATED: 'authenticated/new/-/',
    UNAUTHENTICATED: '=',
    AUTHENTICATED_RESTORED: '=',
    UNAUTHENTICATED_RESTORED: '=',
    REFRESH: '=',
    FAILED_NETWORK: 'error/-/new/',
    FAILED_LOGIN_REQUIRED: 'error/-/new/',
    FAILED_CONSENT_REQUIRED: 'error/-/new/',
    FAILED_STATE_MISMATCH: 'error/-/new/',
    FAILED_MISSING_REFRESH_TOKEN: 'error/-/new/',
    FAILED_INTERACTION_REQUIRED: 'error/-/new/',
    FAILED_ACCESS_DENIED: 'error/-/new/',
    FAILED_POPUP_CLOSED: '=',
    FAILED_RENEWAL_NETWORK: '=',
    FAILED_RENEWAL_LOGIN_REQUIRED: '=/clearSession',
    FAILED_RENEWAL_SILENT_LOGIN_REQUIRED: '=/clearSession',
    FAILED_RENEWAL_NOT_LOGGED_IN: '=',
    FAILED_NETWORK_STORED: '=',
    FAILED_LOGIN_REQUIRED_STORED: '=',
    FAILED_RESTORE_LOGIN_REQUIRED: '=',
    FAILED_RESTORE_NETWORK: '=',
    FAILED_OTHER_AUDIENCE_LOGIN_REQUIRED: '=',
    LOGOUT: '=/clearSession,broadcast:logout',
    REMOTE_LOGIN: 'checking/-/-/restore',
    REMOTE_LOGOUT: '=',
  },
  checking: {
    CHECK: '=',
    LOGIN: 'redirecting/-/-/',
    AUTHORIZE: 'authorizing/-/-/',
    CALLBACK: 'exchanging/-/-/',
    AUTHENTICATED: 'authenticated/new/-/',
    UNAUTHENTICATED: 'unauthenticated/-/-/',
    AUTHENTICATED_RESTORED: 'authenticated/new/-/',
    UNAUTHENTICATED_RESTORED: 'unauthenticated/-/-/',
    REFRESH: '=',
    FAILED_NETWORK: 'error/-/new/',
    FAILED_LOGIN_REQUIRED: 'unauthenticated/-/-/clearSession',
    FAILED_CONSENT_REQUIRED: 'unauthenticated/-/-/clearSession',
    FAILED_STATE_MISMATCH: 'error/-/new/',
    FAILED_MISSING_REFRESH_TOKEN: 'unauthenticated/-/-/clearSession',
    FAILED_INTERACTION_REQUIRED: 'unauthenticated/-/-/clearSession',
    FAILED_ACCESS_DENIED: 'unauthenticated/-/-/clearSession',
    FAILED_POPUP_CLOSED: '=',
    FAILED_RENEWAL_NETWORK: '=',
    FAILED_RENEWAL_LOGIN_REQUIRED: '=',
    FAILED_RENEWAL_SILENT_LOGIN_REQUIRED: '=',
    FAILED_RENEWAL_NOT_LOGGED_IN: '=',
    FAILED_NETWORK_STORED: 'authenticated/new/new/',
    FAILED_LOGIN_REQUIRED_STORED: 'unauthenticated/-/-/clearSession',
    FAILED_RESTORE_LOGIN_REQUIRED: 'unauthenticated/-/-/clearSession',
    FAILED_RESTORE_NETWORK: 'error/-/new/',
    FAILED_OTHER_AUDIENCE_LOGIN_REQUIRED: '=',
    LOGOUT: SIGNED_OUT,
    REMOTE_LOGIN: 'checking+/-/-/',
    REMOTE_LOGOUT: 'unauthenticated/-/-/clearSession',
  },
  checkingAgain: {
    CHECK: '=',
    LOGIN: 'redirecting/-/-/',
    AUTHORIZE: 'authorizing/-/-/',
    CALLBACK: 'exchanging/-/-/',
    AUTHENTICATED: 'authenticated/new/-/',
    UNAUTHENTICATED: 'unauthenticated/-/-/',
    AUTHENTICATED_RESTORED: 'authenticated/new/-/restore',
    UNAUTHENTICATED_RESTORED: 'checking/-/-/restore',
    REFRESH: '=',
    FAILED_NETWORK: 'error/-/new/',
    FAILED_LOGIN_REQUIRED: 'unauthenticated/-/-/clearSession',
    FAILED_CONSENT_REQUIRED: 'unauthenticated/-/-/clearSession',
    FAILED_STATE_MISMATCH: 'error/-/new/',
    FAILED_MISSING_REFRESH_TOKEN: 'unauthenticated/-/-/clearSession',
    FAILED_INTERACTION_REQUIRED: 'unauthenticated/-/-/clearSession',
    FAILED_ACCESS_DENIED: 'unauthenticated/-/-/clearSession',
    FAILED_POPUP_CLOSED: '=',
    FAILED_RENEWAL_NETWORK: '=',
    FAILED_RENEWAL_LOGIN_REQUIRED: '=',
    FAILED_RENEWAL_SILENT_LOGIN_REQUIRED: '=',
    FAILED_RENEWAL_NOT_LOGGED_IN: '=',
    FAILED_NETWORK_STORED: 'checking/-/-/restore',
    FAILED_LOGIN_REQUIRED_STORED: 'checking/-/-/restore',
    FAILED_RESTORE_LOGIN_REQUIRED: 'checking/-/-/restore',
    FAILED_RESTORE_NETWORK: 'checking/-/-/restore',
    FAILED_OTHER_AUDIENCE_LOGIN_REQUIRED: '=',
    LOGOUT: SIGNED_OUT,
    REMOTE_LOGIN: '=',
    REMOTE_LOGOUT: 'unauthenticated/-/-/clearSession',
  },
  redirecting: {
    CHECK: '=',
    LOGIN: '=',
    AUTHORIZE: '=',
    CALLBACK: 'exchanging/-/-/',
    AUTHENTICATED: '=',
    UNAUTHENTICATED: '=',
    AUTHENTICATED_RESTORED: '=',
    UNAUTHENTICATED_RESTORED: '=',
    REFRESH: '=',
    FAILED_NETWORK: 'error/-/new/',
    FAILED_LOGIN_REQUIRED: 'error/-/new/',
    FAILED_CONSENT_REQUIRED: 'error/-/new/',
    FAILED_STATE_MISMATCH: 'error/-/new/',
    FAILED_MISSING_REFRESH_TOKEN: 'error/-/new/',
    FAILED_INTERACTION_REQUIRED: 'error/-/new/',
    FAILED_ACCESS_DENIED: 'error/-/new/',
    FAILED_POPUP_CLOSED: '=',
    FAILED_RENEWAL_NETWORK: '=',
    FAILED_RENEWAL_LOGIN_REQUIRED: '=',
    FAILED_RENEWAL_SILENT_LOGIN_REQUIRED: '=',
    FAILED_RENEWAL_NOT_LOGGED_IN: '=',
    FAILED_NETWORK_STORED: '=',
    FAILED_LOGIN_REQUIRED_STORED: '=',
    FAILED_RESTORE_LOGIN_REQUIRED: '=',
    FAILED_RESTORE_NETWORK: '=',
    FAILED_OTHER_AUDIENCE_LOGIN_REQUIRED: '=',
    LOGOUT: SIGNED_OUT,
    REMOTE_LOGIN: '=',
    REMOTE_LOGOUT: '=',
  },
  redirectingOverSession: {
    CHECK: '=',
    LOGIN: '=',
    AUTHORIZE: '=',
    CALLBACK: 'exchanging/old/-/',
    AUTHENTICATED: '=',
    UNAUTHENTICATED: '=',
    AUTHENTICATED_RESTORED: '=',
    UNAUTHENTICATED_RESTORED: '=',
    REFRESH: '=',
    FAILED_NETWORK: 'authenticated/old/new/',
    FAILED_LOGIN_REQUIRED: 'authenticated/old/new/',
    FAILED_CONSENT_REQUIRED: 'authenticated/old/new/',
    FAILED_STATE_MISMATCH: 'authenticated/old/new/',
    FAILED_MISSING_REFRESH_TOKEN: 'authenticated/old/new/',
    FAILED_INTERACTION_REQUIRED: 'authenticated/old/new/',
    FAILED_ACCESS_DENIED: 'authenticated/old/new/',
    FAILED_POPUP_CLOSED: 'authenticated/old/new/',
    FAILED_RENEWAL_NETWORK: 'authenticated/old/new/',
    FAILED_RENEWAL_LOGIN_REQUIRED: ENDED,
    FAILED_RENEWAL_SILENT_LOGIN_REQUIRED: ENDED,
    FAILED_RENEWAL_NOT_LOGGED_IN: ENDED,
    FAILED_NETWORK_STORED: '=',
    FAILED_LOGIN_REQUIRED_STORED: '=',
    FAILED_RESTORE_LOGIN_REQUIRED: '=',
    FAILED_RESTORE_NETWORK: '=',
    FAILED_OTHER_AUDIENCE_LOGIN_REQUIRED: '=',
    LOGOUT: SIGNED_OUT,
    REMOTE_LOGIN: '=',
    REMOTE_LOGOUT: 'unauthenticated/-/-/clearSession',
  },
  authorizing: {
    CHECK: '=',
    LOGIN: 'redirecting/-/-/',
    AUTHORIZE: '=',
    CALLBACK: 'exchanging/-/-/',
    AUTHENTICATED: 'authenticated/new/-/broadcast:login',
    UNAUTHENTICATED: '=',
    AUTHENTICATED_RESTORED: 'authorizing/new/-/',
    UNAUTHENTICATED_RESTORED: '=',
    REFRESH: '=',
    FAILED_NETWORK: 'error/-/new/',
    FAILED_LOGIN_REQUIRED: 'error/-/new/',
    FAILED_CONSENT_REQUIRED: 'error/-/new/',
    FAILED_STATE_MISMATCH: 'error/-/new/',
    FAILED_MISSING_REFRESH_TOKEN: 'error/-/new/',
    FAILED_INTERACTION_REQUIRED: 'error/-/new/',
    FAILED_ACCESS_DENIED: 'error/-/new/',
    FAILED_POPUP_CLOSED: 'unauthenticated/-/-/',
    FAILED_RENEWAL_NETWORK: '=',
    FAILED_RENEWAL_LOGIN_REQUIRED: '=',
    FAILED_RENEWAL_SILENT_LOGIN_REQUIRED: '=',
    FAILED_RENEWAL_NOT_LOGGED_IN: '=',
    FAILED_NETWORK_STORED: '=',
    FAILED_LOGIN_REQUIRED_STORED: '=',
    FAILED_RESTORE_LOGIN_REQUIRED: '=',
    FAILED_RESTORE_NETWORK: '=',
    FAILED_OTHER_AUDIENCE_LOGIN_REQUIRED: '=',
    LOGOUT: SIGNED_OUT,
    REMOTE_LOGIN: '=',
    REMOTE_LOGOUT: '=',
  },
  authorizingOverSession: {
    CHECK: '=',
    LOGIN: 'redirecting/old/-/',
    AUTHORIZE: '=',
    CALLBACK: 'exchanging/old/-/',
    AUTHENTICATED: 'authenticated/new/-/broadcast:login',
    UNAUTHENTICATED: '=',
    AUTHENTICATED_RESTORED: 'authorizing/new/-/',
    UNAUTHENTICATED_RESTORED: '=',
    REFRESH: '=',
    FAILED_NETWORK: 'authenticated/old/new/',
    FAILED_LOGIN_REQUIRED: 'authenticated/old/new/',
    FAILED_CONSENT_REQUIRED: 'authenticated/old/new/',
    FAILED_STATE_MISMATCH: 'authenticated/old/new/',
    FAILED_MISSING_REFRESH_TOKEN: 'authenticated/old/new/',
    FAILED_INTERACTION_REQUIRED: 'authenticated/old/new/',
    FAILED_ACCESS_DENIED: 'authenticated/old/new/',
    FAILED_POPUP_CLOSED: 'authenticated/old/new/',
    FAILED_RENEWAL_NETWORK: 'authenticated/old/new/',
    FAILED_RENEWAL_LOGIN_REQUIRED: ENDED,
    FAILED_RENEWAL_SILENT_LOGIN_REQUIRED: ENDED,
    FAILED_RENEWAL_NOT_LOGGED_IN: ENDED,
    FAILED_NETWORK_STORED: '=',
    FAILED_LOGIN_REQUIRED_STORED: '=',
    FAILED_RESTORE_LOGIN_REQUIRED: '=',
    FAILED_RESTORE_NETWORK: '=',
    FAILED_OTHER_AUDIENCE_LOGIN_REQUIRED: '=',
    LOGOUT: SIGNED_OUT,
    REMOTE_LOGIN: '=',
    REMOTE_LOGOUT: 'unauthenticated/-/-/clearSession',
  },
  exchanging: {
    CHECK: '=',
    LOGIN: '=',
    AUTHORIZE: '=',
    CALLBACK: '=',
    AUTHENTICATED: 'authenticated/new/-/broadcast:login',
    UNAUTHENTICATED: 'unauthenticated/-/-/',
    AUTHENTICATED_RESTORED: 'exchanging/new/-/',
    UNAUTHENTICATED_RESTORED: '=',
    REFRESH: '=',
    FAILED_NETWORK: 'error/-/new/',
    FAILED_LOGIN_REQUIRED: 'error/-/new/',
    FAILED_CONSENT_REQUIRED: 'error/-/new/',
    FAILED_STATE_MISMATCH: 'error/-/new/',
    FAILED_MISSING_REFRESH_TOKEN: 'error/-/new/',
    FAILED_INTERACTION_REQUIRED: 'error/-/new/',
    FAILED_ACCESS_DENIED: 'error/-/new/',
    FAILED_POPUP_CLOSED: '=',
    FAILED_RENEWAL_NETWORK: '=',
    FAILED_RENEWAL_LOGIN_REQUIRED: '=',
    FAILED_RENEWAL_SILENT_LOGIN_REQUIRED: '=',
    FAILED_RENEWAL_NOT_LOGGED_IN: '=',
    FAILED_NETWORK_STORED: '=',
    FAILED_LOGIN_REQUIRED_STORED: '=',
    FAILED_RESTORE_LOGIN_REQUIRED: '=',
    FAILED_RESTORE_NETWORK: '=',
    FAILED_OTHER_AUDIENCE_LOGIN_REQUIRED: '=',
    LOGOUT: SIGNED_OUT,
    REMOTE_LOGIN: '=',
    REMOTE_LOGOUT: '=',
  },
  exchangingOverSession: {
    CHECK: '=',
    LOGIN: '=',
    AUTHORIZE: '=',
    CALLBACK: '=',
    AUTHENTICATED: 'authenticated/new/-/broadcast:login',
    UNAUTHENTICATED: 'unauthenticated/-/-/',
    AUTHENTICATED_RESTORED: 'exchanging/new/-/',
    UNAUTHENTICATED_RESTORED: '=',
    REFRESH: '=',
    FAILED_NETWORK: 'authenticated/old/new/',
    FAILED_LOGIN_REQUIRED: 'authenticated/old/new/',
    FAILED_CONSENT_REQUIRED: 'authenticated/old/new/',
    FAILED_STATE_MISMATCH: 'authenticated/old/new/',
    FAILED_MISSING_REFRESH_TOKEN: 'authenticated/old/new/',
    FAILED_INTERACTION_REQUIRED: 'authenticated/old/new/',
    FAILED_ACCESS_DENIED: 'authenticated/old/new/',
    FAILED_POPUP_CLOSED: 'authenticated/old/new/',
    FAILED_RENEWAL_NETWORK: 'authenticated/old/new/',
    FAILED_RENEWAL_LOGIN_REQUIRED: ENDED,
    FAILED_RENEWAL_SILENT_LOGIN_REQUIRED: ENDED,
    FAILED_RENEWAL_NOT_LOGGED_IN: ENDED,
    FAILED_NETWORK_STORED: '=',
    FAILED_LOGIN_REQUIRED_STORED: '=',
    FAILED_RESTORE_LOGIN_REQUIRED: '=',
    FAILED_RESTORE_NETWORK: '=',
    FAILED_OTHER_AUDIENCE_LOGIN_REQUIRED: '=',
    LOGOUT: SIGNED_OUT,
    REMOTE_LOGIN: '=',
    REMOTE_LOGOUT: 'unauthenticated/-/-/clearSession',
  },
  authenticated: {
    CHECK: '=',
    LOGIN: 'redirecting/old/-/',
    AUTHORIZE: 'authorizing/old/-/',
    CALLBACK: 'exchanging/old/-/',
    AUTHENTICATED: 'authenticated/new/-/',
    UNAUTHENTICATED: '=',
    AUTHENTICATED_RESTORED: 'authenticated/new/-/',
    UNAUTHENTICATED_RESTORED: '=',
    REFRESH: 'refreshing/old/-/',
    FAILED_NETWORK: 'authenticated/old/new/',
    FAILED_LOGIN_REQUIRED: 'authenticated/old/new/',
    FAILED_CONSENT_REQUIRED: 'authenticated/old/new/',
    FAILED_STATE_MISMATCH: 'authenticated/old/new/',
    FAILED_MISSING_REFRESH_TOKEN: 'authenticated/old/new/',
    FAILED_INTERACTION_REQUIRED: 'authenticated/old/new/',
    FAILED_ACCESS_DENIED: 'authenticated/old/new/',
    FAILED_POPUP_CLOSED: 'authenticated/old/new/',
    FAILED_RENEWAL_NETWORK: 'authenticated/old/new/',
    FAILED_RENEWAL_LOGIN_REQUIRED: ENDED,
    FAILED_RENEWAL_SILENT_LOGIN_REQUIRED: ENDED,
    FAILED_RENEWAL_NOT_LOGGED_IN: ENDED,
    FAILED_NETWORK_STORED: '=',
    FAILED_LOGIN_REQUIRED_STORED: '=',
    FAILED_RESTORE_LOGIN_REQUIRED: '=',
    FAILED_RESTORE_NETWORK: '=',
    FAILED_OTHER_AUDIENCE_LOGIN_REQUIRED: '=',
    LOGOUT: SIGNED_OUT,
    REMOTE_LOGIN: '=/restore',
    REMOTE_LOGOUT: 'unauthenticated/-/-/clearSession',
  },
  authenticatedWithError: {
    CHECK: '=',
    LOGIN: 'redirecting/old/-/',
    AUTHORIZE: 'authorizing/old/-/',
    CALLBACK: 'exchanging/old/-/',
    AUTHENTICATED: 'authenticated/new/-/',
    UNAUTHENTICATED: '=',
    AUTHENTICATED_RESTORED: 'authenticated/new/-/',
    UNAUTHENTICATED_RESTORED: '=',
    REFRESH: 'refreshing/old/old/',
    FAILED_NETWORK: 'authenticated/old/new/',
    FAILED_LOGIN_REQUIRED: 'authenticated/old/new/',
    FAILED_CONSENT_REQUIRED: 'authenticated/old/new/',
    FAILED_STATE_MISMATCH: 'authenticated/old/new/',
    FAILED_MISSING_REFRESH_TOKEN: 'authenticated/old/new/',
    FAILED_INTERACTION_REQUIRED: 'authenticated/old/new/',
    FAILED_ACCESS_DENIED: 'authenticated/old/new/',
    FAILED_POPUP_CLOSED: 'authenticated/old/new/',
    FAILED_RENEWAL_NETWORK: 'authenticated/old/new/',
    FAILED_RENEWAL_LOGIN_REQUIRED: ENDED,
    FAILED_RENEWAL_SILENT_LOGIN_REQUIRED: ENDED,
    FAILED_RENEWAL_NOT_LOGGED_IN: ENDED,
    FAILED_NETWORK_STORED: '=',
    FAILED_LOGIN_REQUIRED_STORED: '=',
    FAILED_RESTORE_LOGIN_REQUIRED: '=',
    FAILED_RESTORE_NETWORK: '=',
    FAILED_OTHER_AUDIENCE_LOGIN_REQUIRED: '=',
    LOGOUT: SIGNED_OUT,
    REMOTE_LOGIN: '=/restore',
    REMOTE_LOGOUT: 'unauthenticated/-/-/clearSession',
  },
  refreshing: {
    CHECK: '=',
    LOGIN: 'redirecting/old/-/',
    AUTHORIZE: 'authorizing/old/-/',
    CALLBACK: 'exchanging/old/-/',
    AUTHENTICATED: 'authenticated/new/-/',
    UNAUTHENTICATED: '=',
    AUTHENTICATED_RESTORED: 'refreshing/new/-/',
    UNAUTHENTICATED_RESTORED: '=',
    REFRESH: '=',
    FAILED_NETWORK: 'authenticated/old/new/',
    FAILED_LOGIN_REQUIRED: 'authenticated/old/new/',
    FAILED_CONSENT_REQUIRED: 'authenticated/old/new/',
    FAILED_STATE_MISMATCH: 'authenticated/old/new/',
    FAILED_MISSING_REFRESH_TOKEN: 'authenticated/old/new/',
    FAILED_INTERACTION_REQUIRED: 'authenticated/old/new/',
    FAILED_ACCESS_DENIED: 'authenticated/old/new/',
    FAILED_POPUP_CLOSED: 'authenticated/old/new/',
    FAILED_RENEWAL_NETWORK: 'authenticated/old/new/',
    FAILED_RENEWAL_LOGIN_REQUIRED: ENDED,
    FAILED_RENEWAL_SILENT_LOGIN_REQUIRED: ENDED,
    FAILED_RENEWAL_NOT_LOGGED_IN: ENDED,
    FAILED_NETWORK_STORED: '=',
    FAILED_LOGIN_REQUIRED_STORED: '=',
    FAILED_RESTORE_LOGIN_REQUIRED: '=',
    FAILED_RESTORE_NETWORK: '=',
    FAILED_OTHER_AUDIENCE_LOGIN_REQUIRED: '=',
    LOGOUT: SIGNED_OUT,
    REMOTE_LOGIN: '=',
    REMOTE_LOGOUT: 'unauthenticated/-/-/clearSession',
  },
  error: {
    CHECK: 'checking/-/-/restore',
    LOGIN: 'redirecting/-/-/',
    AUTHORIZE: 'authorizing/-/-/',
    CALLBACK: 'exchanging/-/-/',
    AUTHENTICATED: 'authenticated/new/-/',
    UNAUTHENTICATED: '=',
    AUTHENTICATED_RESTORED: '=',
    UNAUTHENTICATED_RESTORED: '=',
    REFRESH: '=',
    FAILED_NETWORK: 'error/-/new/',
    FAILED_LOGIN_REQUIRED: 'error/-/new/',
    FAILED_CONSENT_REQUIRED: 'error/-/new/',
    FAILED_STATE_MISMATCH: 'error/-/new/',
    FAILED_MISSING_REFRESH_TOKEN: 'error/-/new/',
    FAILED_INTERACTION_REQUIRED: 'error/-/new/',
    FAILED_ACCESS_DENIED: 'error/-/new/',
    FAILED_POPUP_CLOSED: '=',
    FAILED_RENEWAL_NETWORK: '=',
    FAILED_RENEWAL_LOGIN_REQUIRED: '=/clearSession',
    FAILED_RENEWAL_SILENT_LOGIN_REQUIRED: '=/clearSession',
    FAILED_RENEWAL_NOT_LOGGED_IN: '=',
    FAILED_NETWORK_STORED: '=',
    FAILED_LOGIN_REQUIRED_STORED: '=',
    FAILED_RESTORE_LOGIN_REQUIRED: '=',
    FAILED_RESTORE_NETWORK: '=',
    FAILED_OTHER_AUDIENCE_LOGIN_REQUIRED: '=',
    LOGOUT: SIGNED_OUT,
    REMOTE_LOGIN: 'checking/-/-/restore',
    REMOTE_LOGOUT: '=',
  },
};

const parseEffects = (list: string) =>
  list
    ? list.split(',').map((item) => {
        const [type, message] = item.split(':');
        return message ? { type, message } : { type };
      })
    : [];

describe('transition: every state × event pair', () => {
  it('has fixtures for every status and every event type the source declares', () => {
    const statuses = literalsOf('AuthStatus', /'([a-z]+)'/g);
    const eventTypes = literalsOf('AuthEvent', /type: '([A-Z_]+)'/g);
    expect(statuses.length).toBeGreaterThan(5);
    expect(eventTypes.length).toBeGreaterThan(5);
    expect([...new Set(Object.values(states).map((state) => state.status))].sort()).toEqual(statuses.sort());
    expect([...new Set(Object.values(events).map((event) => event.type))].sort()).toEqual(eventTypes.sort());
  });

  it('the table covers every state and every event', () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(states).sort());
    for (const row of Object.values(table))
      expect(Object.keys(row).sort()).toEqual(Object.keys(events).sort());
  });

  for (const [stateName, row] of Object.entries(table)) {
    for (const [eventName, expected] of Object.entries(row)) {
      it(`${stateName} + ${eventName} → ${expected}`, () => {
        const state = states[stateName]!;
        const event = events[eventName]!;
        const result = transition(state, event);
        if (expected.startsWith('=')) {
          expect(result.state).toBe(state);
          expect(result.effects).toEqual(parseEffects(expected.slice(2)));
          return;
        }
        const [status, sessionName, errorName, effects] = expected.split('/') as [
          string,
          string,
          string,
          string,
        ];
        // `checking+`: restoring, to look again once done (another tab signed in meanwhile).
        expect(result.state.status).toBe(status.replace('+', ''));
        expect('again' in result.state && result.state.again).toBe(status.endsWith('+'));
        const expectedSession = { '-': undefined, old: session, new: newer }[sessionName];
        expect('session' in result.state ? result.state.session : undefined).toBe(expectedSession);
        const eventError = event.type === 'FAILED' ? event.error : undefined;
        const expectedError = { '-': undefined, old: oldError, new: eventError }[errorName];
        expect('error' in result.state ? result.state.error : undefined).toBe(expectedError);
        expect(result.effects).toEqual(parseEffects(effects));
      });
    }
  }
});
