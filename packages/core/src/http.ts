import { platformFetch, platformTimers, type Environment, type Timers } from './environment.js';
import { InvalidResponseError, NetworkError, TimeoutError } from './errors.js';
import { settleWithin } from './time-limit.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Proof of possession of a key for each request (DPoP, RFC 9449), supplied by an opt-in module: the
 * token endpoint requests and `createAuthFetch` carry its headers, and its `retry` decides on one more try.
 */
export interface ProofOfPossession {
  /** The token type the server answers with when a proof was sent, e.g. `DPoP`. */
  readonly tokenType: string;
  /** Headers proving possession for one request; `accessToken` is set for requests to a resource server. */
  headers(request: {
    method: string;
    url: string;
    accessToken?: string | undefined;
  }): Promise<Record<string, string>>;
  /**
   * Sees every answer (`url`: the request's; `sent`: the headers `headers()` gave that request); `true`
   * sends the request once more with a fresh proof (e.g. a new `DPoP-Nonce`).
   */
  retry(answer: {
    status: number;
    headers: Headers;
    body?: unknown;
    url?: string | undefined;
    sent?: Record<string, string> | undefined;
  }): boolean;
  /** Called at logout: e.g. a DPoP module forgets its key pair, so the next session uses a new one. */
  reset?(): Promise<void>;
  /**
   * Called once by the client it is given to: e.g. a DPoP module keys its pair by `clientId` and dates
   * its proofs by the client's clock (`now`, epoch ms).
   */
  attach?(client: {
    clientId: string;
    environment: Pick<Environment, 'indexedDB' | 'crypto'>;
    now: () => number;
  }): void;
}

export interface HttpOptions {
  fetch?: FetchLike | undefined;
  /** Milliseconds before the request is aborted with a `TimeoutError`. */
  timeout?: number | undefined;
  timers?: Pick<Timers, 'setTimeout' | 'clearTimeout'> | undefined;
  proof?: ProofOfPossession | undefined;
  /** Epoch ms, to count a server's retry date from (see `retryAfter`); default `Date.now`. */
  now?: (() => number) | undefined;
}

export const DEFAULT_TIMEOUT = 10_000;

/**
 * One HTTP exchange with the authorization server, bounded in time; returns the status, headers, the
 * body's text and its JSON (`undefined` when the body is not JSON). Transport failures become
 * `NetworkError` / `TimeoutError`.
 */
export async function requestJson(
  url: string,
  init: RequestInit,
  { fetch = platformFetch, timeout = DEFAULT_TIMEOUT, timers = platformTimers }: HttpOptions = {},
): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const controller = new AbortController();
  const { signal } = controller;
  const exchange = async () => {
    const response = await fetch(url, { ...init, signal, redirect: 'error' });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: `body` stays undefined
    }
    return { status: response.status, headers: response.headers, body, text };
  };
  try {
    // Raced as well as aborted: a custom fetch may ignore the signal, or a body may never end.
    return await settleWithin(exchange(), timeout, timers, () => {
      controller.abort();
      return signal.reason;
    });
  } catch (cause) {
    // Only our timer aborts.
    throw signal.aborted
      ? new TimeoutError(`timeout: ${url}`, { cause })
      : new NetworkError(`fetch failed: ${url}`, { cause });
  }
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// At most 10 digits: an epoch second until 2286, and any wait stays a safe integer.
const DIGITS = /^\d{1,10}$/;

/**
 * How long a 429 or 503 answer asks to wait, in seconds from `now` (epoch ms): its `Retry-After` (RFC 9110
 * §10.2.3: delay-seconds, or an HTTP-date in the IMF-fixdate form senders must use; the obsolete forms
 * are ignored), else a 429's `x-ratelimit-reset` (Auth0: epoch seconds). Untrusted: anything malformed,
 * or a time before `now`, gives `undefined`.
 */
export function retryAfter(status: number, headers: Headers, now: number): number | undefined {
  const after = headers.get('retry-after') ?? '';
  const reset = (status === 429 && headers.get('x-ratelimit-reset')) || '';
  const date = Date.parse(after);
  // A date only when it prints back as itself: `Date.parse` alone takes nearly anything (`foo 1` is 2001).
  const ms = DIGITS.test(after)
    ? +after * 1000
    : (new Date(date).toUTCString() === after ? date : DIGITS.test(reset) ? +reset * 1000 : NaN) - now;
  return (status === 429 || status === 503) && ms >= 0 ? Math.ceil(ms / 1000) : undefined;
}

/** A successful JSON object body, or an `InvalidResponseError` carrying the status. */
export function expectJsonObject(status: number, body: unknown, what: string): Record<string, unknown> {
  if (status !== 200 || !isObject(body)) {
    throw new InvalidResponseError(`${what}: HTTP ${status}`, status);
  }
  return body;
}

/**
 * Sends a request with the proof's headers, and once more with a fresh proof when the proof module asks
 * (a server nonce, RFC 9449 §8-9). Every answer is shown to the module, so a nonce the second one brings
 * is kept too (its wish for yet another attempt is not followed: one retry per request).
 */
export async function sendWithProof<T extends { status: number; headers: Headers; body?: unknown }>(
  proof: ProofOfPossession | undefined,
  request: { method: string; url: string; accessToken?: string | undefined },
  send: (proofHeaders: Record<string, string> | undefined) => Promise<T>,
): Promise<T> {
  const attempt = async () => {
    const sent = await proof?.headers(request);
    return { answer: await send(sent), sent };
  };
  const first = await attempt();
  if (!proof?.retry({ ...first.answer, url: request.url, sent: first.sent })) return first.answer;
  const second = await attempt();
  proof.retry({ ...second.answer, url: request.url, sent: second.sent });
  return second.answer;
}
