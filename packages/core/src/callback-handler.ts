import { parseCallback } from './callback.js';
import type { ClientParts } from './client-parts.js';
import { StateMismatchError } from './errors.js';
import type { CallbackOutcome } from './redirect-flow.js';

/**
 * A failed callback ends no session: the one this page shows, or one stored before it (a reload's), stays
 * visible with the error. Whatever failed, the snapshot ends up as "that session, plus `error`".
 */
async function callbackFailed({ store, report, settled }: ClientParts, error: unknown): Promise<void> {
  const exchanging = store.getState().status === 'exchanging';
  // The exchange is over: a session it ran over comes back with the error.
  if (exchanging) await report(error);
  if (!store.getSnapshot().isAuthenticated) {
    // A session in storage the page has not restored yet (a page load at the callback URL).
    await settled();
    await report(error);
  } else if (!exchanging) {
    await report(error);
  }
}

/** The whole callback, reported, and the address bar cleaned after. */
async function completeCallback(parts: ClientParts, url: string | undefined): Promise<CallbackOutcome> {
  if (typeof url !== 'string') throw new TypeError('url is required');
  let params: ReturnType<typeof parseCallback>;
  try {
    params = parseCallback(url);
  } catch (tampered) {
    // Refused unread, yet its code must not stay in the address bar or in history (RFC 9700 §4.3).
    parts.flow.cleanUrl(url);
    throw tampered;
  }
  // Not a callback: leave the URL and the state alone.
  if (!params) throw new StateMismatchError('not a callback URL');
  try {
    return await parts.flow.complete(params);
  } catch (error) {
    await callbackFailed(parts, error);
    throw error;
  } finally {
    parts.flow.cleanUrl(url);
  }
}

/**
 * The facade's `handleRedirectCallback`. A second call for a callback URL still being handled (a plugin
 * installed twice, an app remounted) shares the first one's outcome: one code exchange. Once it is over,
 * its state is spent.
 */
export function createCallbackHandler(parts: ClientParts) {
  const running = new Map<string | undefined, Promise<CallbackOutcome>>();
  return (url: string | undefined): Promise<CallbackOutcome> => {
    const outcome = running.get(url) ?? completeCallback(parts, url).finally(() => running.delete(url));
    running.set(url, outcome);
    return outcome;
  };
}
