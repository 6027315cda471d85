import type { GetAccessTokenOptions } from './client';
import { useAuthClient } from './inject';

export interface AuthFetchOptions extends Omit<GetAccessTokenOptions, 'cacheMode'> {
  /** The fetch to wrap. Default: the global `fetch`, looked up at call time. */
  fetch?: typeof fetch;
}

export type AuthFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** RFC 6750 §3.1: the resource server rejected the token itself (expired, revoked...). */
function isInvalidTokenChallenge(response: Response): boolean {
  const challenge = response.headers.get('www-authenticate') ?? '';
  return /^\s*bearer\b/i.test(challenge) && /\berror\s*=\s*"?invalid_token"?/i.test(challenge);
}

function withBearer(input: RequestInfo | URL, init: RequestInit | undefined, token: string) {
  const isRequest = typeof Request !== 'undefined' && input instanceof Request;
  const headers = new Headers(init?.headers ?? (isRequest ? input.headers : undefined));
  headers.set('Authorization', `Bearer ${token}`);
  // A Request's body can be read once: each attempt sends its own copy.
  return [isRequest ? input.clone() : input, { ...init, headers }] as const;
}

/**
 * A fetch that sends the access token as `Authorization: Bearer`. When the API answers 401 with
 * `error="invalid_token"`, it gets a fresh token from the server (bypassing the cache) and retries once.
 */
export function useAuthFetch(options: AuthFetchOptions = {}): AuthFetch {
  const client = useAuthClient();
  const { fetch: fetchImpl, ...tokenOptions } = options;
  const send = (input: RequestInfo | URL, init: RequestInit | undefined, token: string) =>
    (fetchImpl ?? globalThis.fetch)(...withBearer(input, init, token));
  return async (input, init) => {
    const response = await send(input, init, await client.getAccessToken(tokenOptions));
    if (response.status !== 401 || !isInvalidTokenChallenge(response)) return response;
    // A stream body was spent by the first attempt and cannot be sent again: the caller gets the 401.
    if (typeof ReadableStream !== 'undefined' && init?.body instanceof ReadableStream) return response;
    const fresh = await client.getAccessToken({ ...tokenOptions, cacheMode: 'off' });
    return send(input, init, fresh);
  };
}
