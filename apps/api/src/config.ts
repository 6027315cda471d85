/** The dev IdP's appointments API (`DEFAULT_AUDIENCE` of @grantflow/dev-idp). */
export const DEFAULT_AUDIENCE = 'https://api.grantflow.local/appointments';

export interface ApiConfig {
  issuerBaseURL: string;
  audience: string;
  corsOrigins: string[];
}

export interface ServerConfig extends ApiConfig {
  port: number;
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
    corsOrigins: (env.CORS_ORIGINS || `http://localhost:${demoPort}`)
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    port: env.API_PORT === undefined ? port(env, 'PORT', 3001) : port(env, 'API_PORT', 3001),
  };
}
