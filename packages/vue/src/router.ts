import type { App } from 'vue';

/** What the plugin and the guard read of a vue-router route. */
export interface RouteLike {
  path: string;
  query: Record<string, unknown>;
  hash: string;
  fullPath: string;
}

/** A location the plugin navigates to: a path, or a route's parts. */
export type RouteTarget = string | Pick<RouteLike, 'path' | 'query' | 'hash'>;

/** What the plugin and the guard use of vue-router (an optional peer, so typed structurally). */
export interface RouterLike {
  readonly currentRoute: { readonly value: RouteLike };
  replace(to: RouteTarget): Promise<unknown>;
  resolve(to: RouteTarget): { href: string; fullPath: string };
  isReady(): Promise<void>;
}

/** The app's vue-router, when one is installed. */
export function routerOf(app: App): RouterLike | undefined {
  return (app.config.globalProperties as { $router?: RouterLike }).$router;
}

/** The address `fullPath` has in the browser (the router's base included). */
export function hrefOf(fullPath: string, router: RouterLike | undefined): string {
  return new URL(router?.resolve(fullPath).href ?? fullPath, window.location.href).href;
}
