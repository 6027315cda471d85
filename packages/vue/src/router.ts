import type { App } from 'vue';

/** What the plugin and the guard use of vue-router (an optional peer, so typed structurally). */
export interface RouterLike {
  replace(to: string): unknown;
  resolve(to: string): { href: string };
}

/** The app's vue-router, when one is installed. */
export function routerOf(app: App): RouterLike | undefined {
  return (app.config.globalProperties as { $router?: RouterLike }).$router;
}
