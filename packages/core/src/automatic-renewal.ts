import type { WindowLike } from './environment.js';
import {
  AuthorizationError,
  asGrantflowError,
  isRecoverable,
  OAuthError,
  type GrantflowError,
} from './errors.js';

/**
 * What automatic renewal tells: a renewal went through, or failed (and when it is tried again;
 * `undefined`: not until the session changes, after a sign-out or an answer a retry cannot change).
 */
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
  /** Calls back when the page comes back (online, visible again); default: the window's `online` and `focus`. */
  onWake?: ((listener: () => void) => () => void) | undefined;
  window?: Pick<WindowLike, 'addEventListener' | 'removeEventListener'> | undefined;
}

export interface RenewalController {
  subscribe(listener: (event: RenewalEvent) => void): () => void;
  stop(): void;
}

export type AutomaticRenewal = (host: RenewalHost) => RenewalController;

export interface AutomaticRenewalOptions {
  /** Milliseconds before the first retry after a failure; doubled each time. Default 1000 (or `maxRetryDelay`, if less). */
  minRetryDelay?: number;
  /** Milliseconds the retries back off to at most, no less than `minRetryDelay`. Default 30000 (or `minRetryDelay`, if more). */
  maxRetryDelay?: number;
}

// A token that lives no longer than the leeway would otherwise be renewed without pause.
const MAX_TIMER_DELAY = 2 ** 31 - 1;
const MIN_INTERVAL = 5000;
// Error answers that may differ next time: RFC 6749 §4.1.2.1's own transient ones, and a DPoP nonce
// the server rotated again (RFC 9449 §8: it may change its nonce at any time).
const TRANSIENT_ANSWERS = ['server_error', 'temporarily_unavailable', 'use_dpop_nonce'];
/** An answer from the token endpoint or a silent authorization that every retry would get again. */
const isFinal = (error: GrantflowError) =>
  (error instanceof OAuthError || error instanceof AuthorizationError) &&
  !isRecoverable(error) &&
  !TRANSIENT_ANSWERS.includes(error.error);
// The longest a server's retry hint (`retryAfter`) holds the next retry back: a wait past Auth0's
// per-minute limits, yet a hint of hours or years still costs only one request each 10 minutes.
const MAX_HINTED_DELAY = 600_000;

/** One client's renewal: a timer for the next renewal, and the backoff after failures. */
class Renewal implements RenewalController {
  private readonly listeners = new Set<(event: RenewalEvent) => void>();
  private timer: unknown;
  private failures = 0;
  private renewing = false;
  /** The server gave an answer a retry cannot change: nothing is tried until the session changes. */
  private refused = false;
  /** Epoch ms before which the server asked not to be asked again (a 429 or 503's hint). */
  private notBefore = 0;
  /** The expiry the timer was set for. */
  private seen: number | undefined;
  /** Renewed at least once in this session: then renewals are spaced by `MIN_INTERVAL` at least. */
  private renewed = false;
  private readonly unsubscribe: () => void;
  private readonly unwake: (() => void) | undefined;

  constructor(
    private readonly host: RenewalHost,
    private readonly minRetry: number,
    private readonly maxRetry: number,
  ) {
    // A new token (renewed here or by any other call) or a sign-out starts over.
    this.unsubscribe = host.subscribe(() => this.sessionChanged());
    this.unwake = (host.onWake ?? wakeEvents(host.window))?.(() => this.woke());
    this.schedule();
  }

  subscribe(listener: (event: RenewalEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  stop(): void {
    this.clear();
    this.unsubscribe();
    this.unwake?.();
    this.listeners.clear();
  }

  private emit(event: RenewalEvent) {
    this.listeners.forEach((listener) => listener(event));
  }

  private clear() {
    if (this.timer !== undefined) this.host.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private at(delay: number) {
    this.clear();
    // Timers take at most 2^31 - 1 ms (24.8 days) and fire at once beyond; renew() re-arms when early.
    const wait = Math.min(Math.max(0, delay), MAX_TIMER_DELAY);
    this.timer = this.host.timers.setTimeout(() => void this.renew(), wait);
  }

  /** Milliseconds until the client stops handing out the token (negative: overdue). */
  private dueIn(expiresAt: number): number {
    return expiresAt - this.host.leeway * 1000 - this.host.now();
  }

  private schedule(): void {
    const { isAuthenticated, accessTokenExpiresAt } = this.host.session();
    this.seen = accessTokenExpiresAt;
    if (!isAuthenticated || accessTokenExpiresAt === undefined) {
      this.failures = 0;
      return this.clear();
    }
    if (this.renewing) return;
    const due = this.dueIn(accessTokenExpiresAt);
    this.at(this.renewed ? Math.max(due, MIN_INTERVAL) : due);
  }

  private async renew(): Promise<void> {
    const { host } = this;
    this.timer = undefined;
    const { isAuthenticated, accessTokenExpiresAt } = host.session();
    if (this.renewing || !isAuthenticated) return;
    // A timer may fire a moment early: a token still handed out would come back unrenewed.
    const early = accessTokenExpiresAt === undefined ? 0 : this.dueIn(accessTokenExpiresAt);
    if (this.failures === 0 && early > 0) return this.at(early);
    this.renewing = true;
    try {
      await host.renew();
      this.failures = 0;
      this.notBefore = 0;
      this.renewed = true;
      this.emit({ type: 'renewed', expiresAt: host.session().accessTokenExpiresAt });
    } catch (caught) {
      this.failed(caught);
    } finally {
      this.renewing = false;
    }
    if (this.failures === 0 && !this.refused) this.schedule();
  }

  /**
   * Backs off exponentially while signed in, waiting at least as long as the server asked; a sign-out
   * ends the retries, and so does an error answer that is not transient (`mfa_required`,
   * `invalid_client`, a silent `consent_required`, ...): it would come back the same on each retry.
   */
  private failed(caught: unknown) {
    const { host } = this;
    const error = asGrantflowError(caught);
    this.refused = isFinal(error);
    const retry = host.session().isAuthenticated && !this.refused;
    this.failures = retry ? this.failures + 1 : 0;
    const hinted = Math.min(MAX_HINTED_DELAY, ((error as OAuthError).retryAfter ?? 0) * 1000);
    this.notBefore = host.now() + hinted;
    const delay = Math.max(hinted, Math.min(this.maxRetry, this.minRetry * 2 ** (this.failures - 1)));
    this.emit({ type: 'renew_failed', error, retryAt: retry ? host.now() + delay : undefined });
    if (retry) this.at(delay);
  }

  private sessionChanged() {
    const { isAuthenticated, accessTokenExpiresAt } = this.host.session();
    if (!isAuthenticated) this.renewed = false;
    if (isAuthenticated && accessTokenExpiresAt === this.seen) return;
    this.failures = 0;
    this.refused = false;
    // A new token: the server's old request to wait was about the renewal that got it.
    this.notBefore = 0;
    this.schedule();
  }

  /**
   * Back from a sleep or offline: a failed or overdue renewal is tried at once, or when the server asked.
   * Not after an answer a retry cannot change: waking changes nothing at the server.
   */
  private woke() {
    const { host } = this;
    const { isAuthenticated, accessTokenExpiresAt } = host.session();
    const late =
      accessTokenExpiresAt !== undefined && accessTokenExpiresAt - host.leeway * 1000 <= host.now();
    if (isAuthenticated && !this.refused && (this.failures > 0 || late)) this.at(this.notBefore - host.now());
  }
}

/**
 * Opt-in automatic renewal (`createAuthClient({ renewal: automaticRenewal() })`): renews the default
 * access token when the client stops handing it out (`leeway` seconds before expiry), retries transient
 * failures with exponential backoff (no sooner than a 429 or 503 asked, up to 10 minutes) until the
 * server is back, waits for a new session after an answer a retry cannot change, and idles while nobody
 * is signed in.
 */
export function automaticRenewal(options: AutomaticRenewalOptions = {}): AutomaticRenewal {
  // 0 or NaN would retry without pause: a flood of requests while the server is down.
  const delay = (name: keyof AutomaticRenewalOptions, fallback: number): number => {
    const value = options[name] ?? fallback;
    if (!(typeof value === 'number' && value > 0 && value < 2 ** 31)) {
      throw new TypeError(`automaticRenewal(): ${name} must be a number of ms > 0 and < 2^31`);
    }
    return value;
  };
  // A bound given alone moves the other's default with it: neither is broken by the other's default.
  const maxGiven = options.maxRetryDelay === undefined ? undefined : delay('maxRetryDelay', 0);
  const minRetry = delay('minRetryDelay', Math.min(1000, maxGiven ?? 1000));
  const maxRetry = maxGiven ?? Math.max(30_000, minRetry);
  if (minRetry > maxRetry) {
    throw new TypeError('automaticRenewal(): minRetryDelay must not exceed maxRetryDelay');
  }
  return (host) => new Renewal(host, minRetry, maxRetry);
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
