import { isAuth0Issuer } from '@grantflow/core/internal';
import type { ResolvedNodeOptions } from './options.js';

/**
 * The `prompt` a loopback login sends. Every login here asks for `offline_access` (the refresh token is
 * how a CLI keeps working), and OpenID Connect Core §11 says such a request MUST carry `prompt=consent`:
 * a standard provider drops the scope without it and issues no refresh token. Auth0 issues one anyway and
 * would only show a consent screen, so Auth0 (its `domain` shorthand, or an `*.auth0.com` issuer) gets
 * none. A prompt the caller gave wins as it is; an empty one sends none.
 *
 * Not core's redirect flow: a browser app signs in often and renews silently (`prompt=none`), and a
 * consent screen at each sign-in is what auth0-spa-js and oidc-client-ts do not ask of their users.
 */
export function loginPrompt(config: ResolvedNodeOptions, given: string | undefined): string | undefined {
  if (given !== undefined) return given || undefined;
  return config.domain !== undefined || isAuth0Issuer(config.issuer) ? undefined : 'consent';
}
