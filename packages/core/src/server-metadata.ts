import { discover, type ServerMetadata } from './discovery.js';
import type { ClientConfig } from './options.js';

/**
 * The server's metadata, fetched once per client: from the `endpoints` option when given, else by
 * discovery. A failed discovery is not remembered, so the next call tries again.
 */
export function createServerMetadata({
  issuer,
  endpoints,
  http,
}: Pick<ClientConfig, 'issuer' | 'endpoints' | 'http'>): () => Promise<ServerMetadata> {
  let metadata: Promise<ServerMetadata> | undefined;
  return () =>
    (metadata ??= endpoints
      ? Promise.resolve({
          issuer,
          authorization_endpoint: endpoints.authorization,
          token_endpoint: endpoints.token,
          end_session_endpoint: endpoints.endSession,
          userinfo_endpoint: endpoints.userinfo,
          revocation_endpoint: endpoints.revocation,
          pushed_authorization_request_endpoint: endpoints.pushedAuthorizationRequest,
          authorization_response_iss_parameter_supported:
            endpoints.authorizationResponseIssParameterSupported,
          require_pushed_authorization_requests: endpoints.requirePushedAuthorizationRequests,
        })
      : discover(issuer, http).catch((error: unknown) => {
          metadata = undefined;
          throw error;
        }));
}
