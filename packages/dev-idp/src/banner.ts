import type { ProviderConfig } from './provider.js';
import { runtimeNotice } from './runtime.js';

/** The start-up notice: what this is, where it runs, and how to sign in. */
export function banner(config: ProviderConfig, invitationLinks: readonly string[] = []): string {
  const users = config.users.map(
    (user) => `    ${user.email} / ${user.password}  (${user.permissions.join(' ')})`,
  );
  const clients = config.clients.map(
    (client) => `    ${client.clientId} → ${client.redirectUris.join(', ')}`,
  );
  return [
    '',
    '  ⚠  grantflow dev IdP — FOR DEVELOPMENT ONLY. Public demo passwords; never expose it or use it in production.',
    '',
    ...[runtimeNotice()].flatMap((notice) => (notice === undefined ? [] : [`  ⚠  ${notice}`, ''])),
    `  issuer:   ${config.issuer}`,
    `  apis:     ${Object.keys(config.apis).join(', ')}`,
    `  origins:  ${config.corsOrigins.join(', ')}`,
    `  storage:  ${config.persistDir === undefined ? 'in memory' : config.persistDir}`,
    '  clients:',
    ...clients,
    '  demo users:',
    ...users,
    ...(invitationLinks.length === 0 ? [] : ['  invitations (open while signed out of the app):']),
    ...invitationLinks.map((link) => `    ${link}`),
    '',
  ].join('\n');
}
