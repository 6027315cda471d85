import type { ClientConfig } from './options.js';

/** The parameters that name the API a request is for, as the server takes them (`audienceParameter`). */
export const apiParameters = (
  config: Pick<ClientConfig, 'audienceParameter'>,
  audience: string | undefined,
) => (config.audienceParameter === 'resource' ? { audience: undefined, resource: audience } : { audience });

/**
 * An authorization request's: with resource indicators, also the further resources the app lists, each
 * once (RFC 8707 §2: several may be asked for at once; each token request then names one).
 */
export function authorizeApiParameters(
  config: Pick<ClientConfig, 'audienceParameter'>,
  audience: string | undefined,
  listed: unknown,
) {
  const named = apiParameters(config, audience);
  if (named.resource === undefined || listed === undefined) return named;
  return { ...named, resource: [...new Set([named.resource, listed].flat())].map(String) };
}
