/** The demo's settings, from Vite env (`VITE_*`) with defaults that match `pnpm dev`. */
const env = import.meta.env;

export type StorageChoice = 'memory' | 'session' | 'local';

function storageChoice(value: string | undefined): StorageChoice {
  if (value === undefined || value === '') return 'local';
  if (value === 'memory' || value === 'session' || value === 'local') return value;
  throw new TypeError(`VITE_STORAGE must be memory, session or local, not "${value}"`);
}

/**
 * `value` without its trailing `/`s. A loop, not `/\/+$/`: that regex retries from every slash of a
 * run that does not end the string, quadratic in a long run of them.
 */
function withoutTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value[end - 1] === '/') end--;
  return value.slice(0, end);
}

export const API_SCOPES = ['read:appointments', 'write:appointments', 'admin:appointments'] as const;

export const config = {
  issuer: env.VITE_ISSUER || 'http://localhost:4000/',
  clientId: env.VITE_CLIENT_ID || 'grantflow-demo',
  audience: env.VITE_AUDIENCE || 'https://api.grantflow.local/appointments',
  apiUrl: withoutTrailingSlashes(env.VITE_API_URL || 'http://localhost:3001'),
  // `local` lets a reload and a second tab share the session (rotating refresh tokens make a stolen
  // one short-lived); use `memory` where XSS exposure of stored tokens matters more.
  storage: storageChoice(env.VITE_STORAGE),
  // The core's default too; the demo also uses it to renew tokens before they stop being handed out.
  leeway: Number(env.VITE_LEEWAY || 60),
  // DPoP by default; the dev IdP and apps/api accept both.
  dpop: env.VITE_DPOP !== 'false',
} as const;
