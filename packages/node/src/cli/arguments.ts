import { parseArgs } from 'node:util';
import { MAX_DELAY } from '../checks.js';

export type Command = 'login' | 'token' | 'whoami' | 'logout';

export interface Flags {
  issuer?: string | undefined;
  'client-id'?: string | undefined;
  audience?: string | undefined;
  resource?: string | undefined;
  scope?: string | undefined;
  'refresh-with-scope'?: boolean | undefined;
  json?: boolean | undefined;
  'no-browser'?: boolean | undefined;
  timeout?: string | undefined;
  port?: string | undefined;
  prompt?: string | undefined;
}

export type Invocation =
  { kind: 'help' } | { kind: 'version' } | { kind: 'command'; command: Command; flags: Flags };

/** A mistake in how the CLI was called: exit code 2 and a pointer to `--help`. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const OPTIONS = {
  issuer: { type: 'string' },
  'client-id': { type: 'string' },
  audience: { type: 'string' },
  resource: { type: 'string' },
  scope: { type: 'string' },
  'refresh-with-scope': { type: 'boolean' },
  json: { type: 'boolean' },
  'no-browser': { type: 'boolean' },
  timeout: { type: 'string' },
  port: { type: 'string' },
  prompt: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const PROFILE = ['issuer', 'client-id'] as const;
const API = ['audience', 'resource', 'refresh-with-scope'] as const;
/** The flags each command takes; anything else is a usage error rather than silently ignored. */
const ALLOWED: Record<Command, readonly (keyof Flags)[]> = {
  login: [...PROFILE, ...API, 'scope', 'json', 'no-browser', 'timeout', 'port', 'prompt'],
  token: [...PROFILE, ...API, 'scope'],
  whoami: [...PROFILE, ...API, 'json'],
  logout: [...PROFILE],
};

const isCommand = (name: string | undefined): name is Command =>
  name !== undefined && Object.hasOwn(ALLOWED, name);

export function parseInvocation(args: readonly string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const { values, positionals } = parsed;
  if (values.version) return { kind: 'version' };
  const { help, version: _version, ...flags } = values;
  // Help on stdout with exit 0 for `grantflow --audience api` would let `$(…)` take it for a token.
  const [flag] = Object.keys(flags);
  if (!help && positionals.length === 0 && flag !== undefined) {
    throw new UsageError(`no command given for --${flag}: use login, token, whoami or logout`);
  }
  // `grantflow help [command]` as `--help`: one text covers every command.
  if (help || positionals.length === 0 || positionals[0] === 'help') return { kind: 'help' };
  const [command, ...rest] = positionals;
  if (!isCommand(command)) throw new UsageError(`unknown command "${command}"`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  for (const name of Object.keys(flags)) {
    if (!ALLOWED[command].includes(name as keyof Flags)) {
      throw new UsageError(`--${name} is not an option of "grantflow ${command}"`);
    }
  }
  return { kind: 'command', command, flags };
}

/** `--timeout` in seconds, as milliseconds. */
export function timeoutOf(flags: Flags): number | undefined {
  if (flags.timeout === undefined) return undefined;
  const seconds = Number(flags.timeout);
  // A timer holds at most MAX_DELAY milliseconds (24.8 days); a longer one would fire at once.
  if (!(seconds > 0 && seconds * 1000 <= MAX_DELAY))
    throw new UsageError('--timeout takes a number of seconds');
  return seconds * 1000;
}

/** `--port`: a fixed loopback port, for providers that will not ignore it. */
export function portOf(flags: Flags): number | undefined {
  if (flags.port === undefined) return undefined;
  const port = Number(flags.port);
  if (!(Number.isInteger(port) && port >= 1 && port <= 65535))
    throw new UsageError('--port takes a port number');
  return port;
}

export const HELP = `grantflow: sign in through the browser and get access tokens for an API

Usage:
  grantflow login  [--issuer URL] [--client-id ID] [--audience API] [--resource URL] [--scope SCOPES]
                   [--refresh-with-scope] [--no-browser] [--prompt VALUE] [--timeout SECONDS]
                   [--port PORT] [--json]
                   sign in through the browser
  grantflow token  [--issuer URL] [--client-id ID] [--audience API] [--resource URL] [--scope SCOPES]
                   [--refresh-with-scope]
                   print a fresh access token, nothing else
  grantflow whoami [--issuer URL] [--client-id ID] [--audience API] [--resource URL]
                   [--refresh-with-scope] [--json]
                   who is signed in
  grantflow logout [--issuer URL] [--client-id ID]
                   revoke the refresh token, forget the tokens

  curl -H "Authorization: Bearer $(grantflow token)" https://api.example.com/…

Options:
  --issuer URL       the OpenID provider (an Auth0 domain such as tenant.eu.auth0.com is enough);
                     for token, whoami and logout, whose sign-in to use
  --client-id ID     a native application registered there (no secret; loopback redirect
                     http://127.0.0.1/callback on any port)
  --audience API     the API the access token is for (whoami's userinfo request uses one too)
  --resource URL     instead of --audience, for a provider with RFC 8707 resource indicators: the
                     API, sent as "resource" on the sign-in and on each token request
  --scope SCOPES     scopes besides "openid profile email offline_access", space-separated
  --refresh-with-scope
                     name the scope on every refresh, as Microsoft Entra ID requires
  --no-browser       print the sign-in URL instead of opening a browser (SSH sessions, scripts)
  --timeout SECONDS  how long login waits for the browser (default 300)
  --port PORT        a fixed loopback port, for providers that match the redirect URI's port exactly
  --prompt VALUE     the sign-in's OpenID prompt (login, select_account, …; "" sends none); default
                     consent, without which OpenID providers issue no refresh token (none for Auth0)
  --json             structured output on stdout (login, whoami)
  -h, --help, help   this text;  -v, --version  the version

Without flags, the last login's settings are used; before any login, the grantflow dev IdP
(http://localhost:$IDP_PORT/, default port 4000), client grantflow-cli and the demo API.
Environment: GRANTFLOW_ISSUER, GRANTFLOW_CLIENT_ID, GRANTFLOW_AUDIENCE, GRANTFLOW_RESOURCE,
GRANTFLOW_SCOPE and GRANTFLOW_PROMPT stand in for the flags. Tokens are kept in
$XDG_CONFIG_HOME/grantflow/tokens.json (~/.config/… by default) on Linux,
~/Library/Application Support/grantflow on macOS, %APPDATA%\\grantflow on Windows; mode 0600.

Exit codes: 0 done, 1 failed, 2 wrong usage, 4 not signed in (run grantflow login), 130 cancelled.
`;
