import { readFormBody } from './form-body.js';
import type { Middleware } from './middleware.js';

/**
 * OIDC Core §3.1.2.1 and RP-Initiated Logout §2: the authorization and end-session endpoints take
 * GET and POST. A form POST is answered `303 See Other` to the same endpoint with the form as the
 * query, so oidc-provider only ever sees the GET. Browsers follow a 303 with a top-level GET, which
 * carries the IdP's `SameSite=Lax` session cookie even when the form was on another site; the
 * session cookie can stay oidc-provider's default, which every cookie jar keeps over plain HTTP
 * (its own POST support needs `SameSite=None`, and so `Secure`).
 */
export function formPostsAsGets(paths: readonly string[]): Middleware {
  const covered = new Set(paths);
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || !covered.has(ctx.path)) return next();
    ctx.set('cache-control', 'no-store');
    if (!ctx.is('application/x-www-form-urlencoded')) {
      ctx.status = 400;
      ctx.body = {
        error: 'invalid_request',
        error_description: `${ctx.path} takes GET or a form POST (application/x-www-form-urlencoded)`,
      };
      return;
    }
    const form = await readFormBody(ctx);
    // No form: the body was too large, and has been answered.
    if (form === undefined) return;
    ctx.status = 303;
    ctx.set('location', form.size === 0 ? ctx.path : `${ctx.path}?${form}`);
  };
}
