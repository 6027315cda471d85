import type { KoaContextWithOIDC } from 'oidc-provider';

/** A Koa middleware in front of oidc-provider's routes (`provider.use`). */
export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;
