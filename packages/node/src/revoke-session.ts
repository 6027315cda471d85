import { discover, revokeToken } from '@grantflow/core';
import { createTokenCache } from '@grantflow/core/internal';
import type { ResolvedNodeOptions } from './options.js';

/** Where core's client keeps a session for this client id. */
export const sessionKey = (clientId: string) => `grantflow.${clientId}.session`;

/**
 * Revokes every stored refresh token at the server (RFC 7009), which also ends the access tokens the
 * server issued with them where it links the two. `false` when there was nothing to revoke or the server
 * offers no `revocation_endpoint`.
 */
export async function revokeRefreshTokens(config: ResolvedNodeOptions): Promise<boolean> {
  const contents = await createTokenCache(config.storage, sessionKey(config.clientId)).read();
  const refreshTokens = Object.values(contents.refresh_tokens).filter((token) => token !== undefined);
  if (refreshTokens.length === 0) return false;
  const http = { fetch: config.fetch, timeout: config.timeout };
  const endpoint = (await discover(config.issuer, http)).revocation_endpoint;
  if (typeof endpoint !== 'string') return false;
  await Promise.all(
    refreshTokens.map((token) =>
      revokeToken(endpoint, { client_id: config.clientId, token, token_type_hint: 'refresh_token' }, http),
    ),
  );
  return true;
}
