import { discover, namesIssuer, withEndpoints, type ServerMetadata } from './discovery.js';
import { InvalidResponseError } from './errors.js';
import { expectJsonObject, requestJson, type HttpOptions } from './http.js';

/** An API's Protected Resource Metadata (RFC 9728 §2); the members this client reads. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers?: string[] | undefined;
  scopes_supported?: string[] | undefined;
  bearer_methods_supported?: string[] | undefined;
  [other: string]: unknown;
}

export interface ResourceDiscovery {
  /** The API's metadata; `resource` is the audience to ask tokens for. */
  resource: ProtectedResourceMetadata;
  /** The authorization server's metadata; `issuer` is the issuer to sign in with. */
  authorizationServer: ServerMetadata;
}

export interface DiscoverFromResourceOptions extends HttpOptions {
  /** Which of the API's authorization servers to use. Default: the first it lists. */
  issuer?: string | undefined;
}

const ACCEPT_JSON = { headers: { accept: 'application/json' } };

/**
 * RFC 9728 §3.1 / RFC 8414 §3.1: the well-known segment goes between the host and the path. RFC 8414
 * also drops an issuer's terminating `/` (`https://as.example/tenant/` → `…/oauth-authorization-server/tenant`).
 */
function wellKnownUrl(identifier: string, suffix: string, dropTerminatingSlash = false): string {
  const url = new URL(identifier);
  const path = dropTerminatingSlash ? url.pathname.replace(/\/$/, '') : url.pathname.replace(/^\/$/, '');
  return `${url.origin}/.well-known/${suffix}${path}${url.search}`;
}

/** Fetches an API's RFC 9728 metadata; its `resource` must be the identifier it was fetched for (§3.3). */
export async function fetchResourceMetadata(
  resource: string,
  http?: HttpOptions,
): Promise<ProtectedResourceMetadata> {
  const url = wellKnownUrl(resource, 'oauth-protected-resource');
  const { status, body } = await requestJson(url, ACCEPT_JSON, http);
  const metadata = expectJsonObject(status, body, 'resource metadata');
  if (metadata.resource !== resource) {
    throw new InvalidResponseError(
      `resource metadata: resource ${JSON.stringify(metadata.resource)} is not ${resource}`,
    );
  }
  const servers = metadata.authorization_servers;
  if (servers !== undefined && !(Array.isArray(servers) && servers.every((s) => typeof s === 'string'))) {
    throw new InvalidResponseError('resource metadata: bad authorization_servers');
  }
  return metadata as ProtectedResourceMetadata;
}

/**
 * RFC 8414 metadata at `/.well-known/oauth-authorization-server`, else OpenID Connect discovery; either
 * must name the issuer it was fetched for (RFC 8414 §3.3, OIDC Discovery §4.3), as `namesIssuer` compares.
 */
async function authorizationServerMetadata(issuer: string, http?: HttpOptions): Promise<ServerMetadata> {
  const url = wellKnownUrl(issuer, 'oauth-authorization-server', true);
  const { status, body } = await requestJson(url, ACCEPT_JSON, http);
  if (status !== 200) return discover(issuer, http);
  const metadata = expectJsonObject(status, body, 'authorization server metadata');
  if (!namesIssuer(metadata.issuer, issuer)) {
    throw new InvalidResponseError(
      `authorization server metadata: issuer ${JSON.stringify(metadata.issuer)} is not ${issuer}`,
    );
  }
  return withEndpoints(metadata, 'authorization server metadata');
}

/**
 * Follows an API's Protected Resource Metadata (RFC 9728) to its authorization server's metadata, so a
 * client can be pointed at the API alone: the answer names the audience (`resource.resource`) and the
 * issuer (`authorizationServer.issuer`), each checked against the identifier it was fetched for.
 */
export async function discoverFromResource(
  resourceUrl: string,
  { issuer, ...http }: DiscoverFromResourceOptions = {},
): Promise<ResourceDiscovery> {
  const resource = await fetchResourceMetadata(resourceUrl, http);
  const servers = resource.authorization_servers ?? [];
  const chosen = issuer ?? servers[0];
  if (chosen === undefined || !servers.includes(chosen)) {
    throw new InvalidResponseError(
      issuer === undefined
        ? 'resource metadata: no authorization_servers'
        : `resource metadata: ${issuer} is not one of its authorization_servers`,
    );
  }
  return { resource, authorizationServer: await authorizationServerMetadata(chosen, http) };
}
