import { allowConfiguredOrigin } from './cors.js';
import { onFormPost } from './form-body.js';
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
  const refuse = onFormPost([TOKEN_PATH], async (ctx, form, next) => {
    const clientId = form.get('client_id') ?? '';
    if (!required.has(clientId)) return next();
    allowConfiguredOrigin(ctx, corsOrigins);
    ctx.status = 400;
    ctx.body = {
      error: 'invalid_dpop_proof',
      error_description: `client ${clientId} must send a DPoP proof with every token request`,
    };
  });
  // A request with a proof, or no client that requires one: nothing to read.
  return (ctx, next) => (required.size === 0 || ctx.get('dpop') !== '' ? next() : refuse(ctx, next));
}
