import { randomBytes } from 'node:crypto';
import type Provider from 'oidc-provider';
import { replaceFormBody } from './form-body.js';
import type { Middleware } from './middleware.js';
import type { DevIdpClient } from './types.js';
import { messagePage } from './views.js';

export const AUTH0_LOGOUT_PATH = '/v2/logout';

/** The client logging out and where it returns (each optional), or why the logout is refused. */
export type Auth0LogoutOutcome = { clientId?: string; returnTo?: string } | { error: string };

function allows(client: DevIdpClient, returnTo: string): boolean {
  return (client.postLogoutRedirectUris ?? []).includes(returnTo);
}

/**
 * Auth0's `GET /v2/logout?client_id&returnTo` read as RP-Initiated Logout: `returnTo` must be one of
 * the client's logout URLs (with no `client_id`, of any client's, like Auth0's tenant-wide list), and
 * defaults to the client's first.
 */
export function auth0Logout(query: URLSearchParams, clients: readonly DevIdpClient[]): Auth0LogoutOutcome {
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
  // Auth0: with client_id and no returnTo, the first of the application's Allowed Logout URLs.
  const returnsTo = returnTo ?? (clientId === null ? undefined : client?.postLogoutRedirectUris?.[0]);
  return {
    ...(client === undefined ? {} : { clientId: client.clientId }),
    ...(returnsTo === undefined ? {} : { returnTo: returnsTo }),
  };
}

/**
 * Serves `/v2/logout` as Auth0 does: the session ends at once and the answer is a 302 to `returnTo`
 * (else the "Signed out" page), with no page or script in between. oidc-provider's end-session
 * endpoint first asks the browser to confirm; here the confirmation is given in its place: the
 * logout is recorded in the session with a fresh xsrf secret, as that endpoint records it, and
 * oidc-provider gets the confirming POST, so it revokes, destroys and clears as for any logout.
 */
export function auth0LogoutRoute(
  provider: Provider,
  clients: readonly DevIdpClient[],
  endSessionPath: string,
): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.path !== AUTH0_LOGOUT_PATH) return next();
    const outcome = auth0Logout(new URLSearchParams(ctx.querystring), clients);
    if ('error' in outcome) {
      ctx.set('cache-control', 'no-store');
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = messagePage('Sign-out refused', outcome.error);
      return;
    }
    const session = await provider.Session.get(ctx);
    if (session.accountId === undefined) {
      // Nobody is signed in: there is nothing to end.
      ctx.set('cache-control', 'no-store');
      if (outcome.returnTo !== undefined) return ctx.redirect(outcome.returnTo);
      ctx.path = `${endSessionPath}/success`;
      ctx.querystring = '';
      return next();
    }
    const xsrf = randomBytes(24).toString('hex');
    session.state = { secret: xsrf, clientId: outcome.clientId, postLogoutRedirectUri: outcome.returnTo };
    await session.save(session.remainingTTL);
    ctx.method = 'POST';
    ctx.path = `${endSessionPath}/confirm`;
    ctx.querystring = '';
    ctx.req.headers['content-type'] = 'application/x-www-form-urlencoded';
    replaceFormBody(ctx, new URLSearchParams({ xsrf, logout: 'yes' }));
    await next();
    // oidc-provider answers the POST with 303; Auth0 answers its GET with 302.
    if (ctx.status === 303) ctx.status = 302;
  };
}
