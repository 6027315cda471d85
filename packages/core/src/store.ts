import {
  toSnapshot,
  transition,
  type AuthEffect,
  type AuthEvent,
  type AuthSnapshot,
  type AuthState,
} from './state-machine.js';

export interface AuthStore {
  getSnapshot(): AuthSnapshot;
  subscribe(listener: (snapshot: AuthSnapshot) => void): () => void;
  getState(): AuthState;
  /** Applies an event; effects run after the commit and after listeners were told. Returns their results. */
  send(event: AuthEvent): unknown[];
}

const sameSnapshot = (a: AuthSnapshot, b: AuthSnapshot) =>
  (Object.keys(a) as (keyof AuthSnapshot)[]).every((key) => a[key] === b[key]);

/** The small interpreter: holds the state, commits transitions, notifies once per change, runs effects. */
export function createStore(initial: AuthState, runEffect: (effect: AuthEffect) => unknown): AuthStore {
  let state = initial;
  let snapshot = toSnapshot(state);
  const listeners = new Set<(snapshot: AuthSnapshot) => void>();
  let commits = 0;
  return {
    getSnapshot: () => snapshot,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    send(event) {
      const result = transition(state, event);
      const next = result.state === state ? snapshot : toSnapshot(result.state);
      state = result.state;
      // A state the app sees no difference in (a restore told to look again) is no news.
      if (!sameSnapshot(next, snapshot)) {
        snapshot = next;
        const commit = ++commits;
        for (const listener of [...listeners]) {
          // A listener's own send told everyone of a newer state already; one unsubscribed meanwhile hears nothing.
          if (commit !== commits) break;
          if (listeners.has(listener)) listener(snapshot);
        }
      }
      return result.effects.map(runEffect);
    },
  };
}
