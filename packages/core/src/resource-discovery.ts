import {
  authorizationServerMetadata,
  checkMetadata,
  openIdConfiguration,
  wellKnownUrl,
  type ServerMetadata,
} from './discovery.js';
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

/** RFC 8414 metadata first, else OpenID Connect discovery's document (`checkMetadata` for either). */
async function serverMetadata(issuer: string, http?: HttpOptions): Promise<ServerMetadata> {
  const answer = await authorizationServerMetadata(issuer, http);
  return answer.status === 200
    ? checkMetadata(answer, issuer, 'authorization server metadata')
    : checkMetadata(await openIdConfiguration(issuer, http), issuer, 'discovery');
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
  return { resource, authorizationServer: await serverMetadata(chosen, http) };
}
