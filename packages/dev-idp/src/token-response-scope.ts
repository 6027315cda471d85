import type { Middleware } from './middleware.js';

export const TOKEN_PATH = '/oauth/token';

/**
 * The token response's `scope` lists the API scopes granted. An API token granted none of them
 * would say `"scope": ""`, which is no scope value (RFC 6749 §3.3) and, read as absent, claims
 * the scope asked for (§5.1). Such a token is good for userinfo alone, so the response lists the
 * OpenID scopes granted instead, as Auth0's responses do.
 */
export function nonEmptyResponseScope(): Middleware {
  return async (ctx, next) => {
    await next();
    const body = ctx.body as { scope?: unknown } | undefined;
    if (ctx.path !== TOKEN_PATH || ctx.method !== 'POST' || body?.scope !== '') return;
    const { oidc } = ctx;
    const source = oidc.entities.RefreshToken ?? oidc.entities.AuthorizationCode;
    const asked = oidc.params?.scope === undefined ? source?.scopes : oidc.requestParamScopes;
    const granted = asked === undefined ? '' : (oidc.entities.Grant?.getOIDCScopeFiltered(asked) ?? '');
    if (granted === '') delete body.scope;
    else body.scope = granted;
  };
}
