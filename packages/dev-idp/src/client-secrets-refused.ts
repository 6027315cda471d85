import { allowConfiguredOrigin } from './cors.js';
import { onFormPost } from './form-body.js';
import type { Middleware } from './middleware.js';

/**
 * Every client is public (`none`), so no client secret is right: one in a Basic header gets
 * `invalid_client` from oidc-provider, but one in the body (`client_secret_post`, which no client
 * here may use) it leaves unread and answers as if none were sent. That is refused here the same way
 * (RFC 6749 §5.2). An empty `client_secret` is no secret (§2.3.1 lets a client leave it out).
 */
export function refuseClientSecrets(paths: readonly string[], corsOrigins: ReadonlySet<string>): Middleware {
  return onFormPost(paths, async (ctx, form, next) => {
    if (form.getAll('client_secret').every((secret) => secret === '')) return next();
    allowConfiguredOrigin(ctx, corsOrigins);
    ctx.status = 401;
    ctx.body = {
      error: 'invalid_client',
      error_description: `client ${form.get('client_id') ?? ''} is public (token_endpoint_auth_method none): send client_id without a client_secret`,
    };
  });
}
