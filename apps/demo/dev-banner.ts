import { isAbsolute, join } from 'node:path';
import { DEMO_USERS } from '@grantflow/dev-idp';
import type { Plugin } from 'vite';

export interface BannerSettings {
  demoUrl: string;
  issuer: string;
  apiUrl: string;
  /** Where the dev IdP keeps keys and sessions, as `idpStateDir` names it. */
  stateDir: string;
}

/** The dev IdP's `DEV_IDP_DIR` (relative to its package, where `pnpm dev` starts it), from the repository. */
export const idpStateDir = (devIdpDir: string | undefined): string =>
  devIdpDir && isAbsolute(devIdpDir) ? devIdpDir : join('packages/dev-idp', devIdpDir ?? '.dev-idp');

/** The one banner `pnpm dev` shows: where to go, who to sign in as, and how to restart only the IdP. */
export function bannerText({ demoUrl, issuer, apiUrl, stateDir }: BannerSettings): string {
  const users = DEMO_USERS.map(
    (u) => `      ${u.email.padEnd(20)} ${u.password.padEnd(16)} ${u.permissions.join(', ')}`,
  );
  return [
    '',
    `  grantflow demo   ${demoUrl}`,
    '    sign in as (public demo accounts):',
    ...users,
    `    identity provider  ${issuer}  (dev IdP, development only)`,
    `    API                ${apiUrl}`,
    '',
    '  Restart only the IdP: run `pnpm dev:apps` here and `pnpm dev:idp` in a second terminal, then stop',
    `  and start that one; sessions survive in ${stateDir}. Ctrl-C stops everything.`,
    '',
  ].join('\n');
}

/** Replaces Vite's own start-up lines (the config keeps Vite at `warn`) with the banner. */
export function devBanner(settings: Omit<BannerSettings, 'demoUrl'>): Plugin {
  return {
    name: 'grantflow-dev-banner',
    apply: 'serve',
    configureServer(server) {
      server.printUrls = () => {
        const demoUrl = server.resolvedUrls?.local[0] ?? `http://localhost:${server.config.server.port}/`;
        console.log(bannerText({ ...settings, demoUrl }));
      };
    },
  };
}
