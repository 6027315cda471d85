/**
 * `@grantflow/core/internal`: the client's building blocks, for adapters and opt-in modules (popup,
 * loopback, DPoP). Not for apps, and not covered by semver the way the root export is.
 */
export { checkTokenOptions } from './access-token.js';
export { deepFreeze } from './deep-freeze.js';
export { INTERNALS, internalsOf } from './internals.js';
export type { ClientInternals } from './internals.js';
export { platformCrypto, platformFetch, platformTimers, resolveEnvironment } from './environment.js';
export type { DocumentLike, Runtime } from './environment.js';
export { requestJson } from './http.js';
export { resolveOptions } from './options.js';
export type { ClientConfig } from './options.js';
export { createRedirectFlow, exchangeCallback, startLogin } from './redirect-flow.js';
export type { RedirectFlow, RedirectFlowDeps } from './redirect-flow.js';
export { createServerMetadata } from './server-metadata.js';
export { saveTokens, sessionFrom } from './session.js';
export { silentAuthorize } from './silent.js';
export { createStore } from './store.js';
export type { AuthStore } from './store.js';
export { createTransactionStore, guardStorage, resolveStorage, webStorage } from './storage.js';
export type { Transaction, TransactionStore } from './storage.js';
export { singleTab } from './tab-sync.js';
export { createTokenCache, isFresh, tokenCacheKey } from './token-cache.js';
export type { CachedToken, CacheContents, TokenCache } from './token-cache.js';
export { createTokenManager } from './token-manager.js';
export { asGrantflowError } from './errors.js';
export type { TokenManager, TokenManagerDeps } from './token-manager.js';
export { base64url, randomString } from './random.js';
export { wakeEvents } from './automatic-renewal.js';
export { userFromClaims } from './id-token.js';
export { POPUP_MESSAGE_TYPE, openPopup, sendCallbackToOpener } from './popup.js';
export { meansSignedOut } from './signed-out.js';
export { CALLBACK_PARAMS, fromServerIssuer } from './callback.js';
export { INVITATION_PARAMS } from './invitation.js';
export { isAuth0Issuer } from './logout.js';
export { namesIssuer } from './discovery.js';
