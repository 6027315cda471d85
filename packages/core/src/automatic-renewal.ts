import type { WindowLike } from './environment.js';
import { GrantflowError, NetworkError } from './errors.js';

/** What automatic renewal tells: a renewal went through, or failed (and when it is tried again). */
export type RenewalEvent =
  | { type: 'renewed'; expiresAt: number | undefined }
  | { type: 'renew_failed'; error: GrantflowError; retryAt: number | undefined };

interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** The client as automatic renewal sees it. */
export interface RenewalHost {
  session(): { isAuthenticated: boolean; accessTokenExpiresAt: number | undefined };
  subscribe(listener: () => void): () => void;
  /** Gets the default access token; the client judges freshness at call time and refreshes if needed. */
  renew(): Promise<unknown>;
  now(): number;
  /** Seconds before expiry at which the client stops handing a token out. */
  leeway: number;
  timers: Timers;
  /** Calls back when the page comes back (online, visible again): a sleeping laptop woke up. */
  onWake?: ((listener: () => void) => () => void) | undefined;
}

export interface RenewalController {
  subscribe(listener: (event: RenewalEvent) => void): () => void;
  stop(): void;
}

export type AutomaticRenewal = (host: RenewalHost) => RenewalController;

export interface AutomaticRenewalOptions {
  /** Milliseconds before the first retry after a failure; doubled each time. Default 1000. */
  minRetryDelay?: number;
  /** Milliseconds the retries back off to at most. Default 30000. */
  maxRetryDelay?: number;
}

// A token that lives no longer than the leeway would otherwise be renewed without pause.
const MIN_INTERVAL = 5000;

/**
 * Opt-in automatic renewal (`createAuthClient({ renewal: automaticRenewal() })`): renews the default
 * access token when the client stops handing it out (`leeway` seconds before expiry), retries failures
 * with exponential backoff until the server is back, and idles while nobody is signed in.
 */
export function automaticRenewal(options: AutomaticRenewalOptions = {}): AutomaticRenewal {
  const minRetry = options.minRetryDelay ?? 1000;
  const maxRetry = options.maxRetryDelay ?? 30_000;
  return (host) => {
    const listeners = new Set<(event: RenewalEvent) => void>();
    const emit = (event: RenewalEvent) => listeners.forEach((listener) => listener(event));
    let timer: unknown;
    let failures = 0;
    let renewing = false;
    let seen: number | undefined;
    let renewed = false;

    const clear = () => {
      if (timer !== undefined) host.timers.clearTimeout(timer);
      timer = undefined;
    };
    const at = (delay: number) => {
      clear();
      timer = host.timers.setTimeout(() => void renew(), Math.max(0, delay));
    };

    function schedule(): void {
      const { isAuthenticated, accessTokenExpiresAt } = host.session();
      seen = accessTokenExpiresAt;
      if (!isAuthenticated || accessTokenExpiresAt === undefined) {
        failures = 0;
        return clear();
      }
      if (renewing) return;
      const due = accessTokenExpiresAt - host.leeway * 1000 - host.now();
      at(renewed ? Math.max(due, MIN_INTERVAL) : due);
    }

    async function renew(): Promise<void> {
      timer = undefined;
      if (renewing || !host.session().isAuthenticated) return;
      renewing = true;
      try {
        await host.renew();
        failures = 0;
        renewed = true;
        emit({ type: 'renewed', expiresAt: host.session().accessTokenExpiresAt });
      } catch (caught) {
        const error =
          caught instanceof GrantflowError ? caught : new NetworkError('renewal failed', { cause: caught });
        const retry = host.session().isAuthenticated;
        failures = retry ? failures + 1 : 0;
        const delay = Math.min(maxRetry, minRetry * 2 ** (failures - 1));
        emit({ type: 'renew_failed', error, retryAt: retry ? host.now() + delay : undefined });
        if (retry) at(delay);
      } finally {
        renewing = false;
      }
      if (failures === 0) schedule();
    }

    // A new token (renewed here or by any other call) or a sign-out starts over.
    const unsubscribe = host.subscribe(() => {
      const { isAuthenticated, accessTokenExpiresAt } = host.session();
      if (!isAuthenticated) renewed = false;
      if (isAuthenticated && accessTokenExpiresAt === seen) return;
      failures = 0;
      schedule();
    });
    const unwake = host.onWake?.(() => {
      const { isAuthenticated, accessTokenExpiresAt } = host.session();
      const late =
        accessTokenExpiresAt !== undefined && accessTokenExpiresAt - host.leeway * 1000 <= host.now();
      if (isAuthenticated && (failures > 0 || late)) at(0);
    });
    schedule();
    return {
      subscribe(listener) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      stop() {
        clear();
        unsubscribe();
        unwake?.();
        listeners.clear();
      },
    };
  };
}

/** The page came back: the network returned, or the user is back at the tab (after a sleep, say). */
export function wakeEvents(
  window: Pick<WindowLike, 'addEventListener' | 'removeEventListener'> | undefined,
): RenewalHost['onWake'] {
  return (
    window &&
    ((listener) => {
      for (const type of WAKE_EVENTS) window.addEventListener(type, listener);
      return () => {
        for (const type of WAKE_EVENTS) window.removeEventListener(type, listener);
      };
    })
  );
}
const WAKE_EVENTS = ['online', 'focus'];
