import { invalidConfig } from './errors.js';
import type { DevIdpOptions } from './types.js';

export type Env = Record<string, string | undefined>;

/** Splits a comma- or space-separated list, dropping empty entries. */
export function parseList(value: string): string[] {
  return value.split(/[\s,]+/).filter((item) => item !== '');
}

function parseInteger(name: string, value: string, min: number): number {
  const parsed = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min) {
    throw invalidConfig(`${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

function parseBoolean(name: string, value: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw invalidConfig(`${name} must be true or false, got ${JSON.stringify(value)}`);
}

type Parse = (name: string, value: string) => unknown;
const list: Parse = (_name, value) => parseList(value);
const ttl: Parse = (name, value) => parseInteger(name, value, 1);

/** The other variables: each sets its option, read by its parser. */
const FIELDS: readonly (readonly [string, keyof DevIdpOptions, Parse])[] = [
  ['CORS_ORIGINS', 'corsOrigins', list],
  ['REDIRECT_URIS', 'redirectUris', list],
  ['POST_LOGOUT_REDIRECT_URIS', 'postLogoutRedirectUris', list],
  ['ACCESS_TOKEN_TTL', 'accessTokenTtl', ttl],
  ['ID_TOKEN_TTL', 'idTokenTtl', ttl],
  ['REFRESH_TOKEN_TTL', 'refreshTokenTtl', ttl],
  ['DPOP_NONCES', 'dpopNonces', parseBoolean],
  ['DPOP_REQUIRED', 'dpopRequired', parseBoolean],
];

/** What `DEMO_PORT` sets: the variable is read unless every one of these options is given. */
const DEMO_PORT_OPTIONS = [
  'corsOrigins',
  'redirectUris',
  'postLogoutRedirectUris',
  'initiateLoginUri',
] as const;

function demoPortOptions(port: number): DevIdpOptions {
  const demo = `http://localhost:${port}`;
  return {
    corsOrigins: [demo],
    redirectUris: [`${demo}/callback`, `${demo}/`, demo],
    postLogoutRedirectUris: [`${demo}/`, demo],
    initiateLoginUri: `${demo}/login`,
  };
}

/**
 * Reads the documented environment variables; unset or empty ones are left out, and so are those whose
 * option is `given` (not even parsed: an option wins over the variable).
 */
export function optionsFromEnv(env: Env, given: DevIdpOptions = {}): DevIdpOptions {
  const options: DevIdpOptions = {};
  const isGiven = (key: keyof DevIdpOptions): boolean => given[key] !== undefined;
  const read = (name: string, skip = false): string | undefined => {
    const value = skip ? undefined : env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  // `pnpm dev` starts several apps at once: IDP_PORT names this one's port where PORT would be shared.
  const portName = read('IDP_PORT') === undefined ? 'PORT' : 'IDP_PORT';
  const port = read(portName, isGiven('port'));
  if (port !== undefined) options.port = parseInteger(portName, port, 0);
  const demoPort = read('DEMO_PORT', DEMO_PORT_OPTIONS.every(isGiven));
  if (demoPort !== undefined) Object.assign(options, demoPortOptions(parseInteger('DEMO_PORT', demoPort, 1)));
  // An ISSUER names a port: beside a `port` option it would announce one the IdP does not listen on.
  const issuer = read('ISSUER', isGiven('issuer') || isGiven('port'));
  if (issuer !== undefined) options.issuer = issuer;
  for (const [name, key, parse] of FIELDS) {
    const value = read(name, isGiven(key));
    if (value === undefined) continue;
    const parsed = parse(name, value);
    // A list DEMO_PORT set up for the demo keeps it: these name other origins, beside the demo's.
    const set = Array.isArray(parsed) ? (options[key] as string[] | undefined) : undefined;
    Object.assign(options, { [key]: set ? [...new Set([...set, ...(parsed as string[])])] : parsed });
  }
  return options;
}

/** The options given (`undefined` counts as not given) over what the environment says of the others. */
export function withEnvironment(options: DevIdpOptions, env: Env): DevIdpOptions {
  const given = Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as DevIdpOptions;
  return { ...optionsFromEnv(env, given), ...given };
}
