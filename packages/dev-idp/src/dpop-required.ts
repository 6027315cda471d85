import { allowConfiguredOrigin } from './cors.js';
import { readFormBody } from './form-body.js';
import type { Middleware } from './middleware.js';
import { TOKEN_PATH } from './token-response-scope.js';
import type { DevIdpClient } from './types.js';

/**
 * RFC 9449 §5.2: a client registered with `dpop_bound_access_tokens` has its token requests without a
 * `DPoP` header rejected, whatever the grant. §5 names the error for a token request whose DPoP
 * header holds no valid proof: `invalid_dpop_proof` (oidc-provider says `invalid_grant`, and only
 * once the grant checks out), which tells the client what to fix.
 */
export function requireDpopProofs(
  clients: readonly DevIdpClient[],
  corsOrigins: ReadonlySet<string>,
): Middleware {
  const required = new Set(clients.filter((client) => client.dpopRequired === true).map((c) => c.clientId));
  return async (ctx, next) => {
    if (
      required.size === 0 ||
      ctx.method !== 'POST' ||
      ctx.path !== TOKEN_PATH ||
      ctx.get('dpop') !== '' ||
      !ctx.is('application/x-www-form-urlencoded')
    ) {
      return next();
    }
    const form = await readFormBody(ctx);
    // No form: the body was too large, and has been answered.
    if (form === undefined) return;
    const clientId = form.get('client_id') ?? '';
    if (!required.has(clientId)) return next();
    allowConfiguredOrigin(ctx, corsOrigins);
    ctx.status = 400;
    ctx.body = {
      error: 'invalid_dpop_proof',
      error_description: `client ${clientId} must send a DPoP proof with every token request`,
    };
  };
}
