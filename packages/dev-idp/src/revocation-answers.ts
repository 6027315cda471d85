import type { Middleware } from './middleware.js';

/** Auth0's path for the revocation endpoint (RFC 7009), the only one this IdP has. */
export const REVOCATION_PATH = '/oauth/revoke';

/**
 * RFC 7009 §2.2 answers as clients such as oidc-client-ts (`revokeTokensOnSignout`) read them:
 * - Success is a 200 whose body the client ignores. oidc-provider sends it as an empty
 *   `text/plain` body, which oidc-client-ts refuses as a non-JSON content type; it goes out empty,
 *   with no content type.
 * - oidc-provider refuses any JWT with `unsupported_token_type`. A JWT access token (an API's) cannot
 *   be revoked before it expires, and an unknown JWT is an invalid token: §2.2 answers both with a
 *   200, as Auth0 does, so a client that revokes the access token first goes on to the refresh token.
 *   The error comes after client authentication, so an unknown client is still refused.
 */
export function revocationAnswers(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.path !== REVOCATION_PATH || ctx.method !== 'POST') return;
    const refusedJwt = (ctx.body as { error?: unknown } | null)?.error === 'unsupported_token_type';
    if (ctx.status !== 200 && !refusedJwt) return;
    ctx.remove('content-type');
    ctx.body = null;
    ctx.status = 200;
  };
}
