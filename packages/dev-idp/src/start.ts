import { loadServer } from './runtime.js';
import type { DevIdp, DevIdpOptions } from './types.js';

/**
 * Starts a real OpenID Provider on loopback. Options win over the environment (`PORT`, `ISSUER`,
 * `CORS_ORIGINS`, `REDIRECT_URIS`, `*_TOKEN_TTL`): a variable whose option is given is not read,
 * nor `ISSUER` when `port` is; see the README.
 */
export async function startDevIdp(options: DevIdpOptions = {}): Promise<DevIdp> {
  const { startDevIdp: start } = await loadServer();
  return start(options);
}
