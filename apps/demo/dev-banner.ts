import { DEMO_USERS } from '@grantflow/dev-idp';
import type { Plugin } from 'vite';

/** After Vite's own URLs, says where to go and who to sign in as (the demo users are public). */
export function devBanner(settings: { issuer: string; apiUrl: string }): Plugin {
  return {
    name: 'grantflow-dev-banner',
    apply: 'serve',
    configureServer(server) {
      const printUrls = server.printUrls.bind(server);
      server.printUrls = () => {
        printUrls();
        const url = server.resolvedUrls?.local[0] ?? `http://localhost:${server.config.server.port}/`;
        const users = DEMO_USERS.map(
          (u) => `    ${u.email.padEnd(20)} ${u.password.padEnd(16)} ${u.permissions.join(', ')}`,
        );
        server.config.logger.info(
          [
            '',
            `  Grantflow demo: open ${url} and sign in as one of:`,
            ...users,
            `  Identity provider: ${settings.issuer}   API: ${settings.apiUrl}`,
            '',
          ].join('\n'),
        );
      };
    },
  };
}
