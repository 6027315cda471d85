import { Readable } from 'node:stream';
import { parseScope } from '@grantflow/core/scope';
import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';

type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

export const AUTHORIZATION_PATH = '/authorize';
/** Auth0's path for pushed authorization requests (RFC 9126). */
export const PUSHED_AUTHORIZATION_PATH = '/oauth/par';

const MAX_PUSHED_BYTES = 56 * 1024;

/** The `prompt` that keeps `offline_access`, or `undefined` when the request needs no change. */
function promptKeepingOfflineAccess(scope: unknown, prompt: unknown): string | undefined {
  const prompts = typeof prompt === 'string' ? prompt.split(' ').filter(Boolean) : [];
  if (!parseScope(scope).includes('offline_access')) return undefined;
  if (prompts.includes('none') || prompts.includes('consent')) return undefined;
  return [...prompts, 'consent'].join(' ');
}

async function readBody(stream: AsyncIterable<Buffer>): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > MAX_PUSHED_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * A pushed request's form body, changed before oidc-provider reads it (it reads `ctx.req` itself).
 * Returns false when the body was refused.
 */
async function rewritePushedBody(ctx: KoaContextWithOIDC): Promise<boolean> {
  const raw = await readBody(ctx.req);
  if (raw === undefined) {
    ctx.status = 413;
    ctx.body = { error: 'invalid_request', error_description: 'request body too large' };
    return false;
  }
  const params = new URLSearchParams(raw.toString('utf8'));
  const prompt = promptKeepingOfflineAccess(params.get('scope'), params.get('prompt'));
  if (prompt !== undefined) params.set('prompt', prompt);
  const body = Buffer.from(params.toString());
  ctx.req.headers['content-length'] = String(body.length);
  ctx.req = Object.assign(Readable.from([body], { objectMode: false }), {
    headers: ctx.req.headers,
    method: ctx.req.method,
    url: ctx.req.url,
    socket: ctx.req.socket,
  }) as unknown as typeof ctx.req;
  return true;
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
      if (!(await rewritePushedBody(ctx))) return;
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
