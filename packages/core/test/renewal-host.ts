import type { RenewalHost } from '../src/automatic-renewal.js';
import { manualTimers, type ManualTimers } from './support.js';

export const LEEWAY = 10;

/**
 * A client stand-in: a session whose token renew() replaces, or fails to while `down`, on `clock` (a new
 * virtual one unless given).
 */
export function fakeHost(ttl = 60_000, clock: ManualTimers = manualTimers()) {
  const listeners = new Set<() => void>();
  const wake = new Set<() => void>();
  const state = {
    isAuthenticated: true,
    accessTokenExpiresAt: (clock.now() + ttl) as number | undefined,
    down: false as false | Error,
    renewals: 0,
  };
  const notify = () => listeners.forEach((listener) => listener());
  const host: RenewalHost = {
    session: () => ({
      isAuthenticated: state.isAuthenticated,
      accessTokenExpiresAt: state.accessTokenExpiresAt,
    }),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async renew() {
      state.renewals += 1;
      if (state.down) throw state.down;
      state.accessTokenExpiresAt = clock.now() + ttl;
      notify();
    },
    now: clock.now,
    leeway: LEEWAY,
    timers: clock.timers,
    onWake(listener) {
      wake.add(listener);
      return () => void wake.delete(listener);
    },
  };
  const signOut = () => {
    state.isAuthenticated = false;
    state.accessTokenExpiresAt = undefined;
    notify();
  };
  return { host, state, signOut, wakeUp: () => wake.forEach((listener) => listener()), listeners, clock };
}
