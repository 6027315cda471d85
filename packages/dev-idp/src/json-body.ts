import { allowConfiguredOrigin } from './cors.js';
import { readBodyText, replaceFormBody } from './form-body.js';
import type { Middleware } from './middleware.js';

/** A JSON object of string (or string array) values as form parameters; `undefined` for anything else. */
function formOf(text: string): URLSearchParams | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(parsed)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (!values.every((item) => typeof item === 'string')) return undefined;
    for (const item of values as string[]) params.append(name, item);
  }
  return params;
}

/**
 * Auth0's Authentication API takes `application/json` at `/oauth/token` and `/oauth/revoke`
 * (auth0-spa-js sends it unless `useFormData` is set); oidc-provider reads forms only, as OAuth
 * defines them. A JSON object body is handed on as the same parameters in a form.
 */
export function jsonBodiesAsForms(paths: readonly string[], corsOrigins: ReadonlySet<string>): Middleware {
  const covered = new Set(paths);
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || !covered.has(ctx.path) || !ctx.is('application/json')) return next();
    const text = await readBodyText(ctx);
    // No text: the body was too large, and has been answered.
    if (text === undefined) return;
    const params = formOf(text);
    if (params === undefined) {
      allowConfiguredOrigin(ctx, corsOrigins);
      ctx.status = 400;
      ctx.body = {
        error: 'invalid_request',
        error_description: 'a JSON body must be an object of string parameters',
      };
      return;
    }
    ctx.req.headers['content-type'] = 'application/x-www-form-urlencoded';
    replaceFormBody(ctx, params);
    await next();
  };
}
