import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DevIdpClient } from './types.js';
import { messagePage } from './views.js';

export const AUTH0_LOGOUT_PATH = '/v2/logout';

export type Auth0LogoutOutcome = { location: string } | { error: string };

function allows(client: DevIdpClient, returnTo: string): boolean {
  return (client.postLogoutRedirectUris ?? []).includes(returnTo);
}

/**
 * Auth0's `GET /v2/logout?client_id&returnTo` mapped onto OIDC RP-Initiated Logout: `returnTo` must be
 * one of the client's logout URLs (with no `client_id`, of any client's, like Auth0's tenant-wide list),
 * and oidc-provider's end-session endpoint then ends the session and redirects there.
 */
export function auth0Logout(
  query: URLSearchParams,
  clients: readonly DevIdpClient[],
  endSessionPath: string,
): Auth0LogoutOutcome {
  const clientId = query.get('client_id');
  const returnTo = query.get('returnTo');
  const client =
    clientId === null
      ? returnTo === null
        ? undefined
        : clients.find((candidate) => allows(candidate, returnTo))
      : clients.find((candidate) => candidate.clientId === clientId);
  if (clientId !== null && client === undefined) return { error: `Unknown client_id ${clientId}.` };
  if (returnTo !== null && (client === undefined || !allows(client, returnTo))) {
    return {
      error: `returnTo ${returnTo} is not an allowed logout URL${client === undefined ? '' : ` of ${client.clientId}`}; add it to postLogoutRedirectUris (POST_LOGOUT_REDIRECT_URIS).`,
    };
  }
  const params = new URLSearchParams();
  if (client !== undefined) params.set('client_id', client.clientId);
  if (returnTo !== null) params.set('post_logout_redirect_uri', returnTo);
  const search = params.size === 0 ? '' : `?${params}`;
  return { location: `${endSessionPath}${search}` };
}

/** Serves `/v2/logout`; returns false for other paths. */
export function createAuth0LogoutRoute(clients: readonly DevIdpClient[], endSessionPath: string) {
  return function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== AUTH0_LOGOUT_PATH || req.method !== 'GET') return false;
    const outcome = auth0Logout(url.searchParams, clients, endSessionPath);
    if ('location' in outcome) {
      res.writeHead(302, { location: outcome.location, 'cache-control': 'no-store' }).end();
    } else {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(messagePage('Sign-out refused', outcome.error));
    }
    return true;
  };
}
