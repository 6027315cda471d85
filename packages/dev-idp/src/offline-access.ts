import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';

type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

export const AUTHORIZATION_PATH = '/authorize';

/**
 * OpenID Connect (and so oidc-provider) ignores `offline_access` unless `prompt` includes
 * `consent`; Auth0 issues the refresh token anyway. Adding `consent` to the prompt keeps the scope,
 * and `consentPolicy` stops that from forcing the consent page when the grant already covers it.
 */
export function keepOfflineAccess(): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === AUTHORIZATION_PATH) {
      const query = { ...ctx.query };
      const scope = typeof query.scope === 'string' ? query.scope.split(' ') : [];
      const prompt = typeof query.prompt === 'string' ? query.prompt.split(' ').filter(Boolean) : [];
      if (scope.includes('offline_access') && !prompt.includes('none') && !prompt.includes('consent')) {
        ctx.query = { ...query, prompt: [...prompt, 'consent'].join(' ') };
      }
    }
    await next();
  };
}

/** The default policy, except that consent is asked only for what the grant does not yet cover. */
export function consentPolicy(): interactionPolicy.Prompt[] {
  const policy = interactionPolicy.base();
  policy.get('consent')?.checks.remove('consent_prompt');
  return policy;
}
