import { describe, expect, it } from 'vitest';
import { NetworkError } from '../src/errors.js';
import { toSnapshot, type AuthEffect, type AuthSnapshot, type Session } from '../src/state-machine.js';
import { createStore } from '../src/store.js';

const session = {
  user: { sub: 'u' },
  idTokenClaims: { sub: 'u' },
  accessTokenExpiresAt: 123,
  scope: 'openid',
} as unknown as Session;

describe('createStore', () => {
  it('notifies once per committed change, with the new snapshot', () => {
    const store = createStore({ status: 'unauthenticated' }, () => undefined);
    const seen: AuthSnapshot[] = [];
    store.subscribe((snapshot) => seen.push(snapshot));
    store.send({ type: 'CHECK' });
    store.send({ type: 'CHECK' }); // ignored in `checking`: no commit, no notification
    store.send({ type: 'AUTHENTICATED', session });
    expect(seen.map((snapshot) => snapshot.status)).toEqual(['checking', 'authenticated']);
    expect(seen[1]).toBe(store.getSnapshot());
  });

  it('does not call a listener unsubscribed by an earlier one in the same notification', () => {
    const store = createStore({ status: 'unauthenticated' }, () => undefined);
    const heard: string[] = [];
    let unsubscribeB = () => undefined as void;
    store.subscribe(() => {
      heard.push('A');
      unsubscribeB();
    });
    unsubscribeB = store.subscribe(() => heard.push('B'));
    store.send({ type: 'CHECK' });
    expect(heard).toEqual(['A']);
  });

  it("tells each listener a listener's own change once, with the newest snapshot, never the same one twice", () => {
    const store = createStore({ status: 'unauthenticated' }, () => undefined);
    const heard: string[] = [];
    store.subscribe((snapshot) => {
      heard.push(`A:${snapshot.status}`);
      if (snapshot.status === 'checking') store.send({ type: 'LOGIN' });
    });
    store.subscribe((snapshot) => heard.push(`B:${snapshot.status}`));
    store.send({ type: 'CHECK' });
    expect(heard).toEqual(['A:checking', 'A:redirecting', 'B:redirecting']);
  });

  it('keeps the same snapshot object until the next commit', () => {
    const store = createStore({ status: 'unauthenticated' }, () => undefined);
    const before = store.getSnapshot();
    store.send({ type: 'REFRESH' });
    expect(store.getSnapshot()).toBe(before);
    store.send({ type: 'LOGIN' });
    expect(store.getSnapshot()).not.toBe(before);
  });

  it('runs effects after listeners saw the new state, and returns their results', () => {
    const order: string[] = [];
    const store = createStore({ status: 'authenticated', session }, (effect: AuthEffect) => {
      order.push(`effect:${effect.type}:${store.getState().status}`);
      return effect.type;
    });
    store.subscribe((snapshot) => order.push(`listener:${snapshot.status}`));
    expect(store.send({ type: 'LOGOUT' })).toEqual(['clearSession', 'broadcast']);
    expect(order).toEqual([
      'listener:unauthenticated',
      'effect:clearSession:unauthenticated',
      'effect:broadcast:unauthenticated',
    ]);
  });

  it('stops notifying after unsubscribe', () => {
    const store = createStore({ status: 'unauthenticated' }, () => undefined);
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    store.send({ type: 'LOGIN' });
    unsubscribe();
    store.send({ type: 'CALLBACK' });
    expect(calls).toBe(1);
  });
});

describe('toSnapshot', () => {
  it('derives the flags and the session fields', () => {
    expect(toSnapshot({ status: 'checking' })).toEqual({
      status: 'checking',
      isAuthenticated: false,
      isLoading: true,
      user: undefined,
      idTokenClaims: undefined,
      accessTokenExpiresAt: undefined,
      scope: undefined,
      error: undefined,
    });
    expect(toSnapshot({ status: 'refreshing', session })).toMatchObject({
      isAuthenticated: true,
      isLoading: false,
      user: session.user,
      accessTokenExpiresAt: 123,
      scope: 'openid',
    });
    const error = new NetworkError('down');
    // A failure that kept the session: still signed in, with the session's fields and the error.
    expect(toSnapshot({ status: 'authenticated', error, session })).toMatchObject({
      status: 'authenticated',
      isAuthenticated: true,
      user: session.user,
      accessTokenExpiresAt: 123,
      scope: 'openid',
      error,
    });
    expect(toSnapshot({ status: 'error', error })).toMatchObject({ isAuthenticated: false, error });
    expect(toSnapshot({ status: 'authorizing', session })).toMatchObject({
      isAuthenticated: true,
      isLoading: true,
    });
    expect(toSnapshot({ status: 'authorizing', session: undefined }).isAuthenticated).toBe(false);
    for (const status of ['redirecting', 'exchanging'] as const) {
      expect(toSnapshot({ status, session: undefined })).toMatchObject({
        isLoading: true,
        isAuthenticated: false,
      });
      expect(toSnapshot({ status, session })).toMatchObject({
        isLoading: true,
        isAuthenticated: true,
        user: session.user,
      });
    }
  });
});
