import type { KoaContextWithOIDC } from 'oidc-provider';

/** For answers given before oidc-provider's routes: browsers at a configured origin may read them. */
export function allowConfiguredOrigin(ctx: KoaContextWithOIDC, origins: ReadonlySet<string>): void {
  const origin = ctx.get('origin');
  if (origins.has(origin)) ctx.set('access-control-allow-origin', origin);
  ctx.vary('origin');
}
