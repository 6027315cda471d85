import { describe, expect, it } from 'vitest';
import { LoginRequiredError, NetworkError } from '../src/errors.js';
import type { AuthEvent, AuthState, Session } from '../src/state-machine.js';
import { transition } from '../src/state-machine.js';

const session = { user: { sub: 'u1' }, idTokenClaims: { sub: 'u1' } } as unknown as Session;
const newer = { user: { sub: 'u1', name: 'N' }, idTokenClaims: { sub: 'u1' } } as unknown as Session;
const oldError = new NetworkError('old');
const newError = new LoginRequiredError('new');

const states: Record<string, AuthState> = {
  unauthenticated: { status: 'unauthenticated' },
  checking: { status: 'checking' },
  redirecting: { status: 'redirecting' },
  exchanging: { status: 'exchanging' },
  authenticated: { status: 'authenticated', session },
  refreshing: { status: 'refreshing', session },
  errorWithSession: { status: 'error', error: oldError, session },
  errorWithoutSession: { status: 'error', error: oldError, session: undefined },
};

const events: Record<string, AuthEvent> = {
  CHECK: { type: 'CHECK' },
  LOGIN: { type: 'LOGIN' },
  CALLBACK: { type: 'CALLBACK' },
  AUTHENTICATED: { type: 'AUTHENTICATED', session: newer },
  UNAUTHENTICATED: { type: 'UNAUTHENTICATED' },
  REFRESH: { type: 'REFRESH' },
  FAILED: { type: 'FAILED', error: newError },
  FAILED_END: { type: 'FAILED', error: newError, endSession: true },
  LOGOUT: { type: 'LOGOUT' },
  REMOTE_LOGIN: { type: 'REMOTE_LOGIN' },
  REMOTE_LOGOUT: { type: 'REMOTE_LOGOUT' },
};

/**
 * Expected outcome of every state × event pair, written out by hand:
 * `=` keeps the very same state object; otherwise `status/session/effects`, where session is
 * `-` (none), `old` or `new`, and effects are comma-separated (`broadcast` carries `:message`).
 * An `=` may be followed by `/effects` for effects without a state change.
 */
const table: Record<string, Record<string, string>> = {
  unauthenticated: {
    CHECK: 'checking/-/restore',
    LOGIN: 'redirecting/-/',
    CALLBACK: 'exchanging/-/',
    AUTHENTICATED: 'authenticated/new/',
    UNAUTHENTICATED: '=',
    REFRESH: '=',
    FAILED: 'error/-/',
    FAILED_END: 'error/-/clearSession,broadcast:logout',
    LOGOUT: '=/clearSession,broadcast:logout',
    REMOTE_LOGIN: 'checking/-/restore',
    REMOTE_LOGOUT: '=',
  },
  checking: {
    CHECK: '=',
    LOGIN: 'redirecting/-/',
    CALLBACK: 'exchanging/-/',
    AUTHENTICATED: 'authenticated/new/',
    UNAUTHENTICATED: 'unauthenticated/-/',
    REFRESH: '=',
    FAILED: 'error/-/',
    FAILED_END: 'error/-/clearSession,broadcast:logout',
    LOGOUT: 'unauthenticated/-/clearSession,broadcast:logout',
    REMOTE_LOGIN: '=',
    REMOTE_LOGOUT: '=',
  },
  redirecting: {
    CHECK: '=',
    LOGIN: '=',
    CALLBACK: 'exchanging/-/',
    AUTHENTICATED: '=',
    UNAUTHENTICATED: '=',
    REFRESH: '=',
    FAILED: 'error/-/',
    FAILED_END: 'error/-/clearSession,broadcast:logout',
    LOGOUT: 'unauthenticated/-/clearSession,broadcast:logout',
    REMOTE_LOGIN: '=',
    REMOTE_LOGOUT: '=',
  },
  exchanging: {
    CHECK: '=',
    LOGIN: '=',
    CALLBACK: '=',
    AUTHENTICATED: 'authenticated/new/broadcast:login',
    UNAUTHENTICATED: '=',
    REFRESH: '=',
    FAILED: 'error/-/',
    FAILED_END: 'error/-/clearSession,broadcast:logout',
    LOGOUT: 'unauthenticated/-/clearSession,broadcast:logout',
    REMOTE_LOGIN: '=',
    REMOTE_LOGOUT: '=',
  },
  authenticated: {
    CHECK: '=',
    LOGIN: 'redirecting/-/',
    CALLBACK: 'exchanging/-/',
    AUTHENTICATED: 'authenticated/new/',
    UNAUTHENTICATED: '=',
    REFRESH: 'refreshing/old/',
    FAILED: 'error/old/',
    FAILED_END: 'error/-/clearSession,broadcast:logout',
    LOGOUT: 'unauthenticated/-/clearSession,broadcast:logout',
    REMOTE_LOGIN: '=',
    REMOTE_LOGOUT: 'unauthenticated/-/clearSession',
  },
  refreshing: {
    CHECK: '=',
    LOGIN: 'redirecting/-/',
    CALLBACK: 'exchanging/-/',
    AUTHENTICATED: 'authenticated/new/',
    UNAUTHENTICATED: '=',
    REFRESH: '=',
    FAILED: 'error/old/',
    FAILED_END: 'error/-/clearSession,broadcast:logout',
    LOGOUT: 'unauthenticated/-/clearSession,broadcast:logout',
    REMOTE_LOGIN: '=',
    REMOTE_LOGOUT: 'unauthenticated/-/clearSession',
  },
  errorWithSession: {
    CHECK: '=',
    LOGIN: 'redirecting/-/',
    CALLBACK: 'exchanging/-/',
    AUTHENTICATED: 'authenticated/new/',
    UNAUTHENTICATED: '=',
    REFRESH: 'refreshing/old/',
    FAILED: 'error/old/',
    FAILED_END: 'error/-/clearSession,broadcast:logout',
    LOGOUT: 'unauthenticated/-/clearSession,broadcast:logout',
    REMOTE_LOGIN: '=',
    REMOTE_LOGOUT: 'unauthenticated/-/clearSession',
  },
  errorWithoutSession: {
    CHECK: 'checking/-/restore',
    LOGIN: 'redirecting/-/',
    CALLBACK: 'exchanging/-/',
    AUTHENTICATED: 'authenticated/new/',
    UNAUTHENTICATED: '=',
    REFRESH: '=',
    FAILED: 'error/-/',
    FAILED_END: 'error/-/clearSession,broadcast:logout',
    LOGOUT: 'unauthenticated/-/clearSession,broadcast:logout',
    REMOTE_LOGIN: 'checking/-/restore',
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
  it('the table covers every state and every event', () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(states).sort());
    for (const row of Object.values(table))
      expect(Object.keys(row).sort()).toEqual(Object.keys(events).sort());
  });

  for (const [stateName, row] of Object.entries(table)) {
    for (const [eventName, expected] of Object.entries(row)) {
      it(`${stateName} + ${eventName} → ${expected}`, () => {
        const state = states[stateName]!;
        const result = transition(state, events[eventName]!);
        if (expected.startsWith('=')) {
          expect(result.state).toBe(state);
          expect(result.effects).toEqual(parseEffects(expected.slice(2)));
          return;
        }
        const [status, sessionName, effects] = expected.split('/') as [string, string, string];
        expect(result.state.status).toBe(status);
        const expectedSession = { '-': undefined, old: session, new: newer }[sessionName];
        expect('session' in result.state ? result.state.session : undefined).toBe(expectedSession);
        if (status === 'error') expect('error' in result.state && result.state.error).toBe(newError);
        expect(result.effects).toEqual(parseEffects(effects));
      });
    }
  }
});
