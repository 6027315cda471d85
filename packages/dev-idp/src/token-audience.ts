import { onFormPost, replaceFormBody } from './form-body.js';
import type { Middleware } from './middleware.js';
import { requestedAudience } from './scopes.js';

/**
 * Auth0 names the API with `audience`, RFC 8707 with `resource`. The authorization endpoint reads
 * either; oidc-provider's token endpoint reads `resource` alone, so a refresh naming another API by
 * `audience` quietly got a token for the granted one. The token endpoint gets `audience` as
 * `resource` (unless one is sent: it wins, as at the authorization endpoint), so an API that was
 * not granted is refused with `invalid_target` whichever name the client used.
 */
export function audienceAsResource(tokenPath: string): Middleware {
  return onFormPost([tokenPath], async (ctx, form, next) => {
    const audience = requestedAudience(Object.fromEntries(form));
    if (audience !== undefined) {
      form.set('resource', audience);
      replaceFormBody(ctx, form);
    }
    await next();
  });
}
