import type { Middleware } from './middleware.js';

/**
 * RFC 6749 §5.1 (and §5.2 by reference): token responses carry `Cache-Control: no-store` and
 * `Pragma: no-cache`; oidc-provider sends only the former. Userinfo answers carry the user's
 * claims, so they get the same, for HTTP/1.0 caches too. Errors included.
 */
export function noStoreResponses(paths: readonly string[]): Middleware {
  const covered = new Set(paths);
  return async (ctx, next) => {
    await next();
    if (!covered.has(ctx.path) || ctx.method === 'OPTIONS' || ctx.res.headersSent) return;
    ctx.set('cache-control', 'no-store');
    ctx.set('pragma', 'no-cache');
  };
}
