import type { ServerMetadata } from './discovery.js';
import { LoginRequiredError } from './errors.js';
import { organizationOf } from './id-token.js';
import type { ClientConfig } from './options.js';
import { refresh } from './refresh.js';
import type { Session } from './state-machine.js';
import type { Transaction } from './storage.js';
import type { CacheContents } from './token-cache.js';
import type { TokenResponse } from './token-endpoint.js';

/** A renewal's answer; `transaction` when it came from an authorization (its nonce and the like to check). */
export type Renewal = { response: TokenResponse; transaction?: Transaction | undefined };

export interface RenewalDeps {
  config: ClientConfig;
  metadata: () => Promise<ServerMetadata>;
  scopeFor: (requested: string) => string;
  /** Renews a token without a refresh token (a silent authorization), when the app opted in to one. */
  renewSilently?:
    | ((
        audience: string | undefined,
        scope: string | undefined,
        organization?: string,
        params?: Readonly<Record<string, string>>,
      ) => Promise<Renewal>)
    | undefined;
}

/**
 * Validates and stores a renewal. `spent`: the refresh token a refresh spent; `refused`: the one a
 * silent renewal replaces, which must not stay.
 */
type Keep = (renewal: Renewal, tokens: { spent?: string; refused?: string }) => Promise<Session | undefined>;

/**
 * Renews with the refresh token, else silently, and keeps the answer. A refresh token the server refuses
 * (expired, revoked, reused) may outlive the provider's session: with silent authorization opted in, one
 * `prompt=none` try follows (as Auth0's SDK falls back), whose tokens replace the refused one and whose
 * failure is the refusal's, so the session ends as it would have. A network or server failure keeps the
 * session as it is, and a refreshed answer that fails its checks is no refusal.
 */
export async function renew(
  deps: RenewalDeps,
  contents: CacheContents,
  {
    audience,
    requested,
    refreshToken,
    params,
  }: {
    audience: string | undefined;
    requested: string | undefined;
    refreshToken: string | undefined;
    params?: Readonly<Record<string, string>> | undefined;
  },
  keep: Keep,
): Promise<{ response: TokenResponse; session: Session | undefined }> {
  const kept = async (renewal: Renewal, tokens: { spent?: string; refused?: string }) => ({
    response: renewal.response,
    session: await keep(renewal, tokens),
  });
  const silently = async (refused?: string) =>
    kept(await deps.renewSilently!(audience, requested, organizationOf(contents.claims), params), {
      refused,
    });
  if (!refreshToken) return silently();
  let renewal: Renewal;
  try {
    renewal = await refresh(deps, contents, refreshToken, audience, requested, params);
  } catch (refusal) {
    if (!deps.renewSilently || !(refusal instanceof LoginRequiredError)) throw refusal;
    return silently(refreshToken).catch(() => Promise.reject(refusal));
  }
  return kept(renewal, { spent: refreshToken });
}
