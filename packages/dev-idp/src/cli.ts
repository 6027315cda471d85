#!/usr/bin/env node
import { resolve } from 'node:path';
import { addRolesClaim } from './defaults.js';
import { runtimeNotice } from './runtime.js';
import { startDevIdp } from './start.js';

const HELP = `grantflow-dev-idp: a local OpenID Provider for development (never for production)

Usage: grantflow-dev-idp [--in-memory] [--brief]

  --in-memory   keep keys, sessions and grants in memory instead of DEV_IDP_DIR
  --brief       one line at start instead of the banner (\`pnpm dev\` prints the demo's)
  -h, --help    this text; any other argument is refused (exit code 2): settings come from the
                environment below

Environment:
  IDP_PORT or PORT            port on 127.0.0.1 and ::1 (default 4000)
  DEMO_PORT                   the demo's port: its origin is allowed (CORS, redirects)
  ISSUER                      issuer URL (default http://localhost:PORT/; an origin alone gets a
                              trailing /, an issuer with a path is kept exactly as given)
  CORS_ORIGINS                browser origins, comma-separated (default http://localhost:5173)
  REDIRECT_URIS               extra redirect URIs for the grantflow-demo client, comma-separated
  POST_LOGOUT_REDIRECT_URIS   extra post-logout redirect URIs, comma-separated
  ACCESS_TOKEN_TTL            seconds (default 3600)
  ID_TOKEN_TTL                seconds (default 3600)
  REFRESH_TOKEN_TTL           seconds (default 1209600)
  DEV_IDP_DIR                 where keys and grants persist (default ./.dev-idp)
  DPOP_NONCES                 true: the token endpoint requires DPoP server nonces (default false)
  DPOP_REQUIRED               true: the grantflow-demo client must use DPoP (default false)
`;

const FLAGS = new Set(['--help', '-h', '--in-memory', '--brief']);

async function main(args: readonly string[]): Promise<void> {
  // An argument it does not know (`--port 5555`, say) must not start a server other than the one meant.
  const unknown = args.find((arg) => !FLAGS.has(arg));
  if (unknown !== undefined) {
    process.stderr.write(
      `grantflow-dev-idp: unknown argument ${JSON.stringify(unknown)} (settings come from the environment)\n\n${HELP}`,
    );
    process.exitCode = 2;
    return;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const persistDir = args.includes('--in-memory')
    ? undefined
    : resolve(process.env.DEV_IDP_DIR ?? '.dev-idp');
  // The demo's IdP: roles in a namespaced claim, as an Auth0 Action would add them.
  const brief = args.includes('--brief');
  const idp = await startDevIdp({
    customizeTokens: addRolesClaim,
    ...(persistDir === undefined ? {} : { persistDir }),
    ...(brief ? { quiet: true } : {}),
  });
  if (brief) {
    const notice = runtimeNotice();
    process.stderr.write(
      `grantflow dev IdP (development only) on ${idp.issuer}${notice === undefined ? '' : `\n  ⚠  ${notice}`}\n`,
    );
  }
  const stop = () => {
    idp.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`grantflow-dev-idp: ${message}\n`);
  process.exit(1);
});
