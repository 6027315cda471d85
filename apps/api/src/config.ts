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

/** Reads the API's configuration from the environment, with defaults that match `pnpm dev`. */
export function loadConfig(env: Record<string, string | undefined>): ServerConfig {
  const port = Number(env.PORT ?? 3001);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`PORT must be a port number, got ${JSON.stringify(env.PORT)}.`);
  }
  return {
    issuerBaseURL: env.ISSUER_BASE_URL || 'http://localhost:4000',
    audience: env.AUDIENCE || DEFAULT_AUDIENCE,
    corsOrigins: (env.CORS_ORIGINS || 'http://localhost:5173')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    port,
  };
}
