import type { Middleware } from './middleware.js';

/**
 * `value` without its trailing `/`s. A loop, not `/\/+$/`: that regex retries from every slash of a
 * run that does not end the string, quadratic in a long run of them.
 */
export function withoutTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value[end - 1] === '/') end--;
  return value.slice(0, end);
}

/** Where the issuer's path puts the IdP: `''` for `http://localhost:4000/`, `/tenant` for `…/tenant` and `…/tenant/`. */
export function mountPathOf(issuer: string): string {
  return withoutTrailingSlashes(new URL(issuer).pathname);
}

/** The URL of `path` (from `/`) beneath the issuer, whether or not the issuer ends in `/`. */
export function beneathIssuer(issuer: string, path: string): string {
  return new URL(`${withoutTrailingSlashes(issuer)}${path}`).href;
}

/** A request URL as seen from inside the mount path, or `undefined` when it lies outside. */
export function insideMount(url: string, mountPath: string): string | undefined {
  if (!url.startsWith(mountPath)) return undefined;
  const rest = url.slice(mountPath.length);
  if (rest === '' || rest.startsWith('?')) return `/${rest}`;
  return rest.startsWith('/') ? rest : undefined;
}

/**
 * oidc-provider builds its endpoints' URLs from the path it is mounted at, which it reads from
 * `ctx.mountPath` (as koa-mount sets it): with it, discovery and redirects carry the issuer's path.
 */
export function mountedAt(mountPath: string): Middleware {
  return async (ctx, next) => {
    Object.assign(ctx, { mountPath });
    await next();
  };
}
