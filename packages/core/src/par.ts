import { authorizeSearchParams, toUrl, type AuthorizeParams } from './authorize.js';
import { InvalidResponseError, OAuthError } from './errors.js';
import { isObject, requestJson, type HttpOptions } from './http.js';

/** A pushed authorization request's answer (RFC 9126 §2.2). */
export interface PushedAuthorizationResponse {
  request_uri: string;
  /** Seconds the `request_uri` stays valid. */
  expires_in: number;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Turns the PAR endpoint's answer into a `request_uri`, an `OAuthError`, or an `InvalidResponseError`. */
export function processPushedAuthorizationResponse(
  status: number,
  body: unknown,
): PushedAuthorizationResponse {
  if (status !== 201 && isObject(body) && typeof body.error === 'string') {
    throw new OAuthError(
      { error: body.error, error_description: text(body.error_description), error_uri: text(body.error_uri) },
      status,
    );
  }
  // RFC 9126 §2.2 says 201; some servers answer 200 with the same body.
  if ((status !== 201 && status !== 200) || !isObject(body)) {
    throw new InvalidResponseError(`pushed authorization request: HTTP ${status}`, status);
  }
  const { request_uri, expires_in } = body;
  if (typeof request_uri !== 'string' || request_uri === '') {
    throw new InvalidResponseError('pushed authorization request: bad request_uri', status);
  }
  const seconds = Number(expires_in);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidResponseError('pushed authorization request: bad expires_in', status);
  }
  return { request_uri, expires_in: seconds };
}

/**
 * POSTs the authorization parameters to the `pushed_authorization_request_endpoint` (RFC 9126 §2.1) as
 * a public client (`client_id` in the body), exactly those `buildAuthorizeUrl` would put in the URL.
 */
export async function pushAuthorizationRequest(
  endpoint: string,
  params: AuthorizeParams,
  http?: HttpOptions,
): Promise<PushedAuthorizationResponse> {
  const { status, body } = await requestJson(
    toUrl(endpoint, 'pushed authorization request endpoint').href,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: authorizeSearchParams(params),
    },
    http,
  );
  return processPushedAuthorizationResponse(status, body);
}

/** The browser's authorization URL after a push: only `client_id` and `request_uri` (RFC 9126 §4). */
export function buildPushedAuthorizeUrl(endpoint: string | URL, clientId: string, requestUri: string): URL {
  const url = toUrl(endpoint, 'authorization endpoint');
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('request_uri', requestUri);
  return url;
}
