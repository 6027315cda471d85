import { asGrantflowError, isRecoverable, LoginRequiredError } from './errors.js';
import type { ClientConfig } from './options.js';
import { sessionFrom } from './session.js';
import type { AuthEvent } from './state-machine.js';
import type { TokenCache } from './token-cache.js';
import type { GetAccessTokenOptions, TokenRequest } from './token-manager.js';

export interface RestoreDeps {
  config: ClientConfig;
  cache: TokenCache;
  send: (event: AuthEvent) => Promise<unknown>;
  /** A token for `audience` and `scope` (the default's when both are left out) in `cacheMode`, if any. */
  token(options: GetAccessTokenOptions): Promise<string | undefined>;
}

/**
 * Whether another token than the default failing should leave the restore to the default's: the
 * server has not granted it (no refresh token or consent for it, or its refresh token refused). Not
 * when retrying cannot help: a transient failure, which keeps what is stored, or the authorization
 * server's own `login_required` (no cause), which the default would get too.
 */
const grantMissing = (error: unknown) =>
  !isRecoverable(error) && !(error instanceof LoginRequiredError && error.cause === undefined);

/**
 * Restores the session on a page load with the default token, or the one `request` names (falling back
 * to the default's when that one is not granted), within one time limit, and tells the state machine.
 */
export async function restoreSession(
  { config, cache, send, token }: RestoreDeps,
  { options = {}, within = (start) => start() }: Partial<TokenRequest> = {},
): Promise<void> {
  const { audience = config.audience, scope, cacheMode, params } = options;
  const named = audience !== config.audience || scope !== undefined;
  const fallback = () => token({ cacheMode, params });
  try {
    // 'cache-only': a stored token restores the session; without one nothing is asked, nor cleared.
    const found = await within(() =>
      token({ audience, scope, cacheMode, params }).then(
        (found) => found ?? (named ? fallback() : undefined),
        (error: unknown) => (named && grantMissing(error) ? fallback() : Promise.reject(error)),
      ),
    );
    const session = found ? sessionFrom(config, await cache.read()) : undefined;
    await send({
      restoring: true,
      ...(session ? { type: 'AUTHENTICATED', session } : { type: 'UNAUTHENTICATED' }),
    });
  } catch (error) {
    // Whether this means "signed out" or "failed" (showing what is stored) is the state machine's call.
    const stored = await cache.read().then(
      (contents) => sessionFrom(config, contents),
      () => undefined,
    );
    await send({ type: 'FAILED', error: asGrantflowError(error), stored, restoring: true });
  }
}
