import type { ServerMetadata } from './discovery.js';

/** Auth0 tenants answer on `*.auth0.com` (and regional subdomains of it). */
export const isAuth0Issuer = (issuer: string): boolean => /^https:\/\/[^/]+\.auth0\.com\/?$/.test(issuer);

/**
 * The logout URL: Auth0's `/v2/logout` (with `returnTo`) when `auth0` is set, as Auth0's SDK does; else
 * OIDC RP-Initiated Logout's `end_session_endpoint` when the server has one; else `undefined` (only the
 * local session can end). No `id_token_hint`: tokens never go into URLs.
 */
export function buildLogoutUrl(
  metadata: Pick<ServerMetadata, 'issuer' | 'end_session_endpoint'>,
  { clientId, returnTo, auth0 }: { clientId: string; returnTo?: string | undefined; auth0: boolean },
): URL | undefined {
  let url: URL;
  if (auth0) {
    url = new URL('v2/logout', metadata.issuer.replace(/\/?$/, '/'));
    if (returnTo) url.searchParams.set('returnTo', returnTo);
  } else if (metadata.end_session_endpoint) {
    url = new URL(metadata.end_session_endpoint);
    if (returnTo) url.searchParams.set('post_logout_redirect_uri', returnTo);
  } else {
    return undefined;
  }
  url.searchParams.set('client_id', clientId);
  return url;
}
