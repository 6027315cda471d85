import type { CookiesSetOptions, KoaContextWithOIDC } from 'oidc-provider';

type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

/**
 * The session cookie goes along with a cross-site form POST to `/authorize` or to the end-session
 * endpoint (OIDC Core §3.1.2.1, RP-Initiated Logout §2), so it is `SameSite=None`, as oidc-provider
 * requires for HTTP POST support. Short-lived interaction cookies never leave the IdP's own site.
 */
export const SESSION_COOKIE: CookiesSetOptions = { httpOnly: true, sameSite: 'none' };

const SAME_SITE_NONE = /;\s*samesite=none\s*(?:;|$)/i;
const SECURE = /;\s*secure\s*(?:;|$)/i;

/** Adds `Secure` to each `SameSite=None` cookie that lacks it. */
export function secureSameSiteNone(setCookies: readonly string[]): string[] {
  return setCookies.map((cookie) =>
    SAME_SITE_NONE.test(cookie) && !SECURE.test(cookie) ? `${cookie}; secure` : cookie,
  );
}

/**
 * Browsers drop a `SameSite=None` cookie that is not `Secure`, and accept `Secure` cookies from
 * `http://localhost` and `127.0.0.1` (secure contexts). The cookies library will not mark one
 * `Secure` over plain HTTP, which is all the dev IdP speaks, so the attribute is added here.
 */
export function secureSessionCookies(): Middleware {
  return async (ctx, next) => {
    await next();
    const setCookies = ctx.res.getHeader('set-cookie');
    if (setCookies === undefined || ctx.res.headersSent) return;
    const list = Array.isArray(setCookies) ? setCookies : [String(setCookies)];
    ctx.res.setHeader('set-cookie', secureSameSiteNone(list));
  };
}
