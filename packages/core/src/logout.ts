import type { LogoutOptions } from './auth-client.js';
import type { ClientParts } from './client-parts.js';
import type { ServerMetadata } from './discovery.js';
import { checkParamValue } from './authorize.js';

/** Auth0 tenants answer on `*.auth0.com` (and regional subdomains of it). */
export const isAuth0Issuer = (issuer: string): boolean => /^https:\/\/[^/]+\.auth0\.com\/?$/.test(issuer);

/**
 * The logout URL: Auth0's `/v2/logout` (with `returnTo`) when `auth0` is set, as Auth0's SDK does; else
 * OIDC RP-Initiated Logout's `end_session_endpoint` when the server has one; else `undefined` (only the
 * local session can end). `logoutHint` (the ID token's `sid`, a session id and no token) goes to the
 * end-session endpoint as `logout_hint` (RP-Initiated Logout 1.0 §2), so the provider knows who leaves
 * without asking; `/v2/logout` takes none. `idTokenHint` only when the app opted in: the ID token in a URL
 * stays in the browser's history.
 */
export function buildLogoutUrl(
  metadata: Pick<ServerMetadata, 'issuer' | 'end_session_endpoint'>,
  {
    clientId,
    returnTo,
    auth0,
    federated,
    logoutHint,
    idTokenHint,
    params = {},
  }: {
    /** `null`: none sent (Auth0's SDK's way to check `returnTo` against the tenant's list, not the app's). */
    clientId: string | null;
    returnTo?: string | undefined;
    auth0: boolean;
    federated?: boolean | undefined;
    logoutHint?: string | undefined;
    idTokenHint?: string | undefined;
    /** Further parameters (e.g. `ui_locales`), never in place of the ones named above. */
    params?: Record<string, unknown>;
  },
): URL | undefined {
  let url: URL;
  if (auth0) {
    url = new URL('v2/logout', metadata.issuer.replace(/\/?$/, '/'));
    if (returnTo) url.searchParams.set('returnTo', returnTo);
  } else if (metadata.end_session_endpoint) {
    url = new URL(metadata.end_session_endpoint);
    if (returnTo) url.searchParams.set('post_logout_redirect_uri', returnTo);
    if (logoutHint) url.searchParams.set('logout_hint', logoutHint);
    if (idTokenHint) url.searchParams.set('id_token_hint', idTokenHint);
  } else {
    return undefined;
  }
  if (clientId !== null) url.searchParams.set('client_id', clientId);
  for (const [name, value] of Object.entries(params)) {
    if (value == null || url.searchParams.has(name)) continue;
    url.searchParams.set(name, Array.isArray(value) ? value.join(' ') : String(value));
  }
  // Auth0 reads the bare flag, as its SDK sends it.
  if (auth0 && federated) url.search += '&federated';
  return url;
}

/**
 * Refuses, before anything ends, a logout option that would fail only after it (`openUrl: 'x'`) or that
 * no URL can carry (`clientId: {}`, an object in `logoutParams`, sent as `[object Object]`).
 */
function checkLogoutOptions({ clientId, returnTo, openUrl, logoutParams = {} }: LogoutOptions): void {
  if (clientId != null && typeof clientId !== 'string') {
    throw new TypeError('clientId must be a string or null');
  }
  if (returnTo != null && typeof returnTo !== 'string') throw new TypeError('returnTo must be a string');
  if (openUrl !== undefined && openUrl !== false && typeof openUrl !== 'function') {
    throw new TypeError('openUrl must be false or a function');
  }
  // `null` is left out, as `undefined`; authorize's `max_age` rule is not the logout URL's.
  for (const [name, value] of Object.entries(logoutParams)) {
    if (value != null) checkParamValue(value, `logoutParams.${name}`);
  }
}

/**
 * The facade's `logout`: ends the session here, revokes the refresh tokens (read before they are
 * cleared), then leaves for the server's logout endpoint unless `localOnly` (for `returnTo` when the
 * server has none).
 */
export async function logout(
  { config, send, metadata, store, cache }: ClientParts,
  prepareRevocation: (wanted: boolean | undefined) => Promise<() => Promise<void>>,
  options: LogoutOptions = {},
): Promise<void> {
  checkLogoutOptions(options);
  const {
    // Auth0's SDK's spellings first: the options named here win over them.
    logoutParams: { returnTo: returnToParam, federated: federatedParam, ...extraParams } = {},
    openUrl,
    returnTo = returnToParam ?? config.postLogoutRedirectUri,
    localOnly = openUrl === false,
    revokeRefreshToken,
    federated = federatedParam,
    idTokenHint = config.idTokenHintOnLogout,
  } = options;
  // As Auth0's SDK: an empty one is the client's own.
  const clientId = options.clientId === null ? null : options.clientId || config.clientId;
  // Read before the session is cleared: who is leaving. Unreadable storage sends no hint, and still logs out.
  const sid = store.getSnapshot().idTokenClaims?.sid;
  const idToken = idTokenHint
    ? await cache.read().then(
        ({ id_token }) => id_token,
        () => undefined,
      )
    : undefined;
  const revoke = await prepareRevocation(revokeRefreshToken);
  await send({ type: 'LOGOUT' });
  // Bounded and never throwing; awaited even when staying, so a resolved logout left no usable token.
  const revoking = revoke();
  // One key per session: tokens bound to the old one are gone with it.
  if (config.proof?.reset) await config.proof.reset();
  await revoking;
  if (localOnly) return;
  // `/v2/logout` needs only the issuer: without asking the server first, it is reached while that is down.
  const server = config.auth0Logout ? { issuer: config.issuer } : await metadata();
  const url = buildLogoutUrl(server, {
    clientId,
    returnTo,
    auth0: config.auth0Logout,
    federated,
    logoutHint: typeof sid === 'string' ? sid : undefined,
    idTokenHint: idToken,
    params: extraParams,
  });
  // A server with no logout endpoint keeps its session; the app still lands where it asked to.
  const leaveFor = url?.href ?? returnTo;
  if (leaveFor) await (openUrl || config.navigate)(leaveFor);
}
