import { InvalidResponseError, OAuthError } from './errors.js';
import type { Timers } from './environment.js';
import { isObject, requestJson, type HttpOptions } from './http.js';
import { settleWithin } from './time-limit.js';

/** An RFC 7009 revocation request from a public client. */
export interface TokenRevocation {
  client_id: string;
  token: string;
  token_type_hint?: 'refresh_token' | 'access_token' | undefined;
}

/**
 * Revokes a token at the server's `revocation_endpoint` (RFC 7009 §2.1). Resolves once the server
 * answers 200, which it also does for a token it no longer knows (§2.2); an OAuth error body becomes
 * `OAuthError`, anything else (such as §2.2.1's 503, to be retried) `InvalidResponseError` with the status.
 */
export async function revokeToken(
  endpoint: string,
  { client_id, token, token_type_hint }: TokenRevocation,
  http?: HttpOptions,
): Promise<void> {
  const body = new URLSearchParams({ client_id, token });
  if (token_type_hint) body.set('token_type_hint', token_type_hint);
  const { status, body: answer } = await requestJson(
    endpoint,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    },
    http,
  );
  if (status === 200) return;
  if (isObject(answer) && typeof answer.error === 'string') {
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    throw new OAuthError(
      {
        error: answer.error,
        error_description: text(answer.error_description),
        error_uri: text(answer.error_uri),
      },
      status,
    );
  }
  throw new InvalidResponseError(`revocation: HTTP ${status}`, status);
}

/** The longest a logout waits for revocation: it is best-effort here, the logout must feel immediate. */
const LOGOUT_REVOCATION_TIMEOUT = 2000;

/**
 * Revokes each refresh token (RFC 7009) at logout. Never throws: a server that is down or refuses
 * cannot keep the user signed in here, and the tokens are already gone from this app. `endpoint` may
 * still be on its way (discovery): finding it counts against the same bound as the requests.
 */
export async function revokeAtLogout(
  endpoint: string | undefined | PromiseLike<string | undefined>,
  clientId: string,
  refreshTokens: readonly string[],
  http: HttpOptions,
  timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>,
): Promise<void> {
  if (!endpoint) return;
  const timeout = Math.min(http.timeout ?? LOGOUT_REVOCATION_TIMEOUT, LOGOUT_REVOCATION_TIMEOUT);
  const send = (url: string | undefined) => {
    if (!url) return undefined;
    return Promise.allSettled(
      refreshTokens.map((token) =>
        revokeToken(
          url,
          { client_id: clientId, token, token_type_hint: 'refresh_token' },
          { ...http, timeout },
        ),
      ),
    );
  };
  // A known endpoint is asked at once; one still being discovered, as soon as it is found.
  const revocations =
    typeof endpoint === 'string' ? send(endpoint) : Promise.resolve(endpoint).then(send, () => undefined);
  // One bound for finding the endpoint and revoking (each request alone has its own).
  await settleWithin(Promise.resolve(revocations), timeout, timers, () => undefined).catch(() => undefined);
}
