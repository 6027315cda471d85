import type { AccessTokenResponse } from './access-token.js';
import { InvalidResponseError, LoginRequiredError } from './errors.js';
import type { ServerMetadata } from './discovery.js';
import type { IdTokenClaims, User } from './id-token.js';
import type { ClientConfig } from './options.js';
import { revokeAtLogout } from './revocation.js';
import type { AuthSnapshot } from './state-machine.js';
import type { TokenCache } from './token-cache.js';
import { fetchUserInfo } from './userinfo.js';

export interface SessionExtrasDeps {
  config: ClientConfig;
  cache: TokenCache;
  metadata: () => Promise<ServerMetadata>;
  snapshot: () => AuthSnapshot;
  accessToken: () => Promise<AccessTokenResponse>;
}

/** What a session offers beyond tokens: the raw ID token, the userinfo profile, revocation at its end. */
export function createSessionExtras({ config, cache, metadata, snapshot, accessToken }: SessionExtrasDeps) {
  return {
    /** The session's ID token claims, with the raw ID token as `__raw` (Auth0's SDK's shape). */
    async getIdTokenClaims(): Promise<(IdTokenClaims & { __raw?: string }) | undefined> {
      const claims = snapshot().idTokenClaims;
      const raw =
        claims &&
        (await cache.read().then(
          (stored) => stored.id_token,
          () => undefined,
        ));
      return claims && (raw ? { ...claims, __raw: raw } : claims);
    },
    /** OIDC userinfo with the default access token; its `sub` must be the ID token's. */
    async getUserInfo(): Promise<User> {
      const sub = snapshot().user?.sub;
      if (!sub) throw new LoginRequiredError('not logged in');
      const { userinfo_endpoint: endpoint, issuer } = await metadata();
      if (!endpoint) throw new InvalidResponseError('the server names no userinfo_endpoint');
      const token = await accessToken();
      // A token the server issued as Bearer goes without a proof, whatever modules the client has.
      const bound = token.token_type.toLowerCase() === config.http.proof?.tokenType.toLowerCase();
      const http = bound ? config.http : { ...config.http, proof: undefined };
      return fetchUserInfo(endpoint, token.access_token, sub, http, { issuer, clientId: config.clientId });
    },
    /** Reads the refresh tokens now (before the session is cleared); the returned task revokes them, never throwing. */
    async prepareRevocation(wanted: boolean | undefined): Promise<() => Promise<void>> {
      if (!(wanted ?? config.revokeRefreshTokenOnLogout)) return async () => undefined;
      // Storage that cannot be read has nothing to revoke; it must not stop the logout either.
      const stored = await cache.read().catch(() => undefined);
      const tokens = Object.values(stored?.refresh_tokens ?? {}).filter((t): t is string => !!t);
      return async () => {
        if (tokens.length === 0) return;
        const endpoint = metadata().then((meta) => meta.revocation_endpoint);
        await revokeAtLogout(endpoint, config.clientId, tokens, config.http, config.environment.timers);
      };
    },
  };
}
