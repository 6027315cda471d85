import { AsyncLocalStorage } from 'node:async_hooks';
import type { FetchLike } from '@grantflow/core';
import { platformFetch } from '@grantflow/core/internal';

/** The signal of the login whose code exchange runs in this async context, if any. */
const exchanging = new AsyncLocalStorage<AbortSignal>();
/** The failure the server has just answered with, for requests in this async context that would repeat it. */
const unanswered = new AsyncLocalStorage<{ failure: unknown }>();

/** Settles as `task`, or rejects with the signal's reason when it aborts first. */
export function untilAborted<T>(task: Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([task, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/** Runs `task` (a login's code exchange) with every request it makes to the server bound to `signal`. */
export const withRequestsBoundTo = <T>(signal: AbortSignal, task: () => Promise<T>): Promise<T> =>
  exchanging.run(signal, task);

/**
 * Runs `task` with every request it makes to the server failing at once with `failure`: the server has
 * just failed to answer (unreachable, too slow), and asking again would only wait as long again.
 */
export const withServerFailing = <T>(failure: unknown, task: () => Promise<T>): Promise<T> =>
  unanswered.run({ failure }, task);

/**
 * The `fetch` core is given: a request made for a login's code exchange fails as soon as the login is
 * given up (timeout, Ctrl-C, the caller's signal), even through a `fetch` that ignores its signal, so
 * the exchange ends without storing what the server would have answered; within `withServerFailing`,
 * requests fail at once. Other requests pass as they are.
 */
export function loginBoundFetch(fetch: FetchLike = platformFetch): FetchLike {
  return (url, init) => {
    const failing = unanswered.getStore();
    if (failing) return Promise.reject(failing.failure);
    const login = exchanging.getStore();
    if (!login) return fetch(url, init);
    const signal = init.signal ? AbortSignal.any([init.signal, login]) : login;
    return untilAborted(fetch(url, { ...init, signal }), login);
  };
}
