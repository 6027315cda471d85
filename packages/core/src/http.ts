import { InvalidResponseError, NetworkError, TimeoutError } from './errors.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpOptions {
  fetch?: FetchLike | undefined;
  /** Milliseconds before the request is aborted with a `TimeoutError`. */
  timeout?: number | undefined;
}

export const DEFAULT_TIMEOUT = 10_000;

/**
 * One HTTP exchange with the authorization server, bounded in time; returns the status and the JSON body
 * (`undefined` when the body is not JSON). Transport failures become `NetworkError` / `TimeoutError`.
 */
export async function requestJson(
  url: string,
  init: RequestInit,
  { fetch = globalThis.fetch, timeout = DEFAULT_TIMEOUT }: HttpOptions = {},
): Promise<{ status: number; body: unknown }> {
  const controller = new AbortController();
  const { signal } = controller;
  const timer = setTimeout(() => controller.abort(), timeout);
  try {
    const response = await fetch(url, { ...init, signal, redirect: 'error' });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: `body` stays undefined
    }
    return { status: response.status, body };
  } catch (cause) {
    // Only our timer aborts.
    throw signal.aborted
      ? new TimeoutError(`timeout: ${url}`, { cause })
      : new NetworkError(`fetch failed: ${url}`, { cause });
  } finally {
    clearTimeout(timer);
  }
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A successful JSON object body, or an `InvalidResponseError` carrying the status. */
export function expectJsonObject(status: number, body: unknown, what: string): Record<string, unknown> {
  if (status !== 200 || !isObject(body)) {
    throw new InvalidResponseError(`${what}: HTTP ${status}`, status);
  }
  return body;
}
