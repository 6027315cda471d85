import { parseScope } from '@grantflow/core/scope';
import {
  interactionPolicy,
  type AccessToken,
  type AuthorizationCode,
  type DeviceCode,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import { readFormBody, replaceFormBody } from './form-body.js';
import type { Middleware } from './middleware.js';

export const AUTHORIZATION_PATH = '/authorize';
/** Auth0's path for pushed authorization requests (RFC 9126). */
export const PUSHED_AUTHORIZATION_PATH = '/oauth/par';

/** The `prompt` that keeps `offline_access`, or `undefined` when the request needs no change. */
function promptKeepingOfflineAccess(scope: unknown, prompt: unknown): string | undefined {
  const prompts = typeof prompt === 'string' ? prompt.split(' ').filter(Boolean) : [];
  if (!parseScope(scope).includes('offline_access')) return undefined;
  if (prompts.includes('none') || prompts.includes('consent')) return undefined;
  return [...prompts, 'consent'].join(' ');
}

/**
 * OpenID Connect (and so oidc-provider) ignores `offline_access` unless `prompt` includes
 * `consent`; Auth0 issues the refresh token anyway. Adding `consent` to the prompt keeps the scope,
 * and `consentPolicy` stops that from forcing the consent page when the grant already covers it.
 * Pushed requests (RFC 9126) carry their parameters in the body, so theirs is changed the same way.
 */
export function keepOfflineAccess(): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === AUTHORIZATION_PATH) {
      const prompt = promptKeepingOfflineAccess(ctx.query.scope, ctx.query.prompt);
      if (prompt !== undefined) ctx.query = { ...ctx.query, prompt };
    } else if (
      ctx.method === 'POST' &&
      ctx.path === PUSHED_AUTHORIZATION_PATH &&
      ctx.is('application/x-www-form-urlencoded')
    ) {
      const params = await readFormBody(ctx);
      if (params === undefined) return;
      const prompt = promptKeepingOfflineAccess(params.get('scope'), params.get('prompt'));
      if (prompt !== undefined) {
        params.set('prompt', prompt);
        replaceFormBody(ctx, params);
      }
    }
    await next();
  };
}

/**
 * The scope the request itself asked for: oidc-provider's params lose `offline_access` under
 * `prompt=none`. A pushed request's stored parameters have lost it already, so it counts as not asked.
 */
function askedScope(ctx: KoaContextWithOIDC): string[] {
  const pushed = ctx.oidc.entities.PushedAuthorizationRequest !== undefined;
  return pushed ? [] : parseScope(ctx.query.scope);
}

/**
 * Whether what the authorization endpoint issues is offline: it outlives the session and its code
 * gets a refresh token. oidc-provider says so only when `offline_access` is in the code's scope,
 * which a `prompt=none` request never keeps (it cannot ask for consent). Auth0 issues a refresh token
 * when the user's grant already covers `offline_access`, and so does this: a silent sign-in
 * (auth0-spa-js's iframe) gets a new one. Without that consent, it still gets none.
 */
export function isOffline(ctx: KoaContextWithOIDC, source: AccessToken | AuthorizationCode | DeviceCode) {
  if (source.scopes.has('offline_access')) return true;
  const granted = parseScope(ctx.oidc.grant?.getOIDCScope());
  return granted.includes('offline_access') && askedScope(ctx).includes('offline_access');
}

/** The default policy, except that consent is asked only for what the grant does not yet cover. */
export function consentPolicy(): interactionPolicy.Prompt[] {
  const policy = interactionPolicy.base();
  policy.get('consent')?.checks.remove('consent_prompt');
  return policy;
}
