/** The dev IdP's appointments API (`DEFAULT_AUDIENCE` of @grantflow/dev-idp). */
export const DEFAULT_AUDIENCE = 'https://api.grantflow.local/appointments';

export type DpopMode = 'off' | 'allowed' | 'required';

export interface DpopConfig {
  mode: DpopMode;
  /** Set: every DPoP proof must carry a server nonce derived from it (shared by every instance). */
  nonceSecret?: string;
  /** The API's external base URL, which proofs' `htu` name (behind a proxy or load balancer). */
  publicBaseURL?: string;
}

export interface ApiConfig {
  /** One issuer URL, or several separated by spaces (tenants or providers the API accepts). */
  issuerBaseURL: string;
  audience: string;
  /** The origins browsers may call from, or `'*'`: any origin. */
  corsOrigins: string[] | '*';
  dpop: DpopConfig;
  /** Every new caller starts with a welcome appointment (the demo's). Default false. */
  demoSeed?: boolean;
}

export interface ServerConfig extends ApiConfig {
  port: number;
  /** The shared DPoP replay store; unset: this process's memory. */
  redisUrl?: string;
}

const DPOP_MODES: readonly string[] = ['off', 'allowed', 'required'];

function dpopConfig(env: Record<string, string | undefined>): DpopConfig {
  const mode = env.DPOP_MODE || 'allowed';
  if (!DPOP_MODES.includes(mode)) {
    throw new TypeError(`DPOP_MODE must be off, allowed or required, got ${JSON.stringify(mode)}.`);
  }
  const secret = env.DPOP_NONCE_SECRET;
  // requireAuth would refuse it too, but only later, at start, naming its own option.
  if (secret && secret.length < 32) {
    throw new TypeError(`DPOP_NONCE_SECRET must be at least 32 characters, got ${secret.length}.`);
  }
  return {
    mode: mode as DpopMode,
    ...(secret ? { nonceSecret: secret } : {}),
    ...(env.PUBLIC_BASE_URL ? { publicBaseURL: env.PUBLIC_BASE_URL } : {}),
  };
}

const notAnOrigin = (entry: string, hint: string): TypeError =>
  new TypeError(
    `CORS_ORIGINS must list origins such as https://app.example.com, got ${JSON.stringify(entry)}${hint}.`,
  );

/**
 * An entry of CORS_ORIGINS exactly as a browser sends it in `Origin` (RFC 6454: scheme, host, a port
 * other than the scheme's default), or CORS would match no request. One trailing slash, as a copied
 * URL has, is dropped.
 */
function origin(entry: string): string {
  const value = entry.endsWith('/') ? entry.slice(0, -1) : entry;
  if (value.includes('*')) throw notAnOrigin(entry, ' (no patterns: list each origin, or * alone for any)');
  const parsed = URL.canParse(value) ? new URL(value).origin : 'null';
  // `null` (what sandboxed frames and files send) is refused too: any page can make itself one.
  if (parsed === value && value !== 'null') return value;
  throw notAnOrigin(entry, parsed === 'null' ? '' : ` (did you mean ${parsed}?)`);
}

/** CORS_ORIGINS: origins separated by commas and/or spaces, or `*` alone for any origin. */
function corsOrigins(value: string): string[] | '*' {
  const entries = value.split(/[\s,]+/).filter(Boolean);
  if (entries.includes('*')) {
    if (entries.length > 1) throw new TypeError('CORS_ORIGINS: * allows any origin; list no other with it.');
    return '*';
  }
  if (entries.length === 0)
    throw new TypeError(`CORS_ORIGINS lists no origin, got ${JSON.stringify(value)}.`);
  return entries.map(origin);
}

function flag(env: Record<string, string | undefined>, name: string): boolean {
  const value = env[name] || '0';
  if (value !== '0' && value !== '1')
    throw new TypeError(`${name} must be 0 or 1, got ${JSON.stringify(value)}.`);
  return value === '1';
}

function port(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const value = env[name];
  const parsed = Number(value ?? fallback);
  if (value === '' || !Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new TypeError(`${name} must be a port number, got ${JSON.stringify(value)}.`);
  }
  return parsed;
}

/**
 * Reads the API's configuration from the environment, with defaults that match `pnpm dev`. There
 * several apps start at once, so API_PORT names this one's port (over PORT), and IDP_PORT /
 * DEMO_PORT move the default issuer and allowed origin along with the other apps.
 */
export function loadConfig(env: Record<string, string | undefined>): ServerConfig {
  const idpPort = port(env, 'IDP_PORT', 4000);
  const demoPort = port(env, 'DEMO_PORT', 5173);
  return {
    issuerBaseURL: env.ISSUER_BASE_URL || `http://localhost:${idpPort}/`,
    audience: env.AUDIENCE || DEFAULT_AUDIENCE,
    corsOrigins: corsOrigins(env.CORS_ORIGINS || `http://localhost:${demoPort}`),
    port: env.API_PORT === undefined ? port(env, 'PORT', 3001) : port(env, 'API_PORT', 3001),
    dpop: dpopConfig(env),
    demoSeed: flag(env, 'DEMO_SEED'),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
  };
}
