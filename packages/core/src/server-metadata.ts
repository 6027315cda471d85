import { discover, type ServerMetadata } from './discovery.js';
import { platformFetch } from './environment.js';
import type { FetchLike, HttpOptions } from './http.js';
import type { ClientConfig } from './options.js';

/**
 * Discovery documents, by the `fetch` they came through and then by issuer: the clients of one issuer
 * share one request, while clients given their own `fetch` (tests, proxies) see only their own answers.
 */
const discovered = new WeakMap<FetchLike, Map<string, Promise<ServerMetadata>>>();

/** The issuer's discovery document, fetched once per `fetch`; a failure is forgotten, so the next call tries again. */
function discoverOnce(issuer: string, http: HttpOptions): Promise<ServerMetadata> {
  const fetch = http.fetch ?? platformFetch;
  const byIssuer = discovered.get(fetch) ?? new Map<string, Promise<ServerMetadata>>();
  discovered.set(fetch, byIssuer);
  let pending = byIssuer.get(issuer);
  if (!pending) {
    pending = discover(issuer, http).catch((error: unknown) => {
      byIssuer.delete(issuer);
      throw error;
    });
    byIssuer.set(issuer, pending);
  }
  return pending;
}

/**
 * The server's metadata: from the `endpoints` option when given, else by discovery, shared by the
 * clients of the issuer. A failed discovery is not remembered, so the next call tries again.
 */
export function createServerMetadata({
  issuer,
  endpoints,
  http,
}: Pick<ClientConfig, 'issuer' | 'endpoints' | 'http'>): () => Promise<ServerMetadata> {
  if (!endpoints) return () => discoverOnce(issuer, http);
  const metadata: ServerMetadata = {
    issuer,
    authorization_endpoint: endpoints.authorization,
    token_endpoint: endpoints.token,
    end_session_endpoint: endpoints.endSession,
    userinfo_endpoint: endpoints.userinfo,
    revocation_endpoint: endpoints.revocation,
    pushed_authorization_request_endpoint: endpoints.pushedAuthorizationRequest,
    authorization_response_iss_parameter_supported: endpoints.authorizationResponseIssParameterSupported,
    require_pushed_authorization_requests: endpoints.requirePushedAuthorizationRequests,
  };
  return async () => metadata;
}
