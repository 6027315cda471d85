import type { Middleware } from './middleware.js';
import { TOKEN_PATH } from './token-response-scope.js';

/**
 * A refused refresh token is answered in Auth0's words: auth0-spa-js falls back to a hidden iframe
 * (`useRefreshTokensFallback`) only when the description says "invalid refresh token".
 */
export function auth0RefreshErrors(): Middleware {
  return async (ctx, next) => {
    await next();
    const body = ctx.body as { error?: unknown; error_description?: unknown } | undefined;
    if (ctx.path !== TOKEN_PATH || ctx.method !== 'POST' || body?.error !== 'invalid_grant') return;
    if (ctx.oidc?.params?.grant_type !== 'refresh_token') return;
    body.error_description = 'Unknown or invalid refresh token.';
  };
}
