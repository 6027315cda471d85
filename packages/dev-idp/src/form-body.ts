import { Readable } from 'node:stream';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Middleware } from './middleware.js';

/** oidc-provider's own limit for a request body. */
const MAX_FORM_BYTES = 56 * 1024;

async function readBody(stream: AsyncIterable<Buffer>): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Puts a body in place of the one read: oidc-provider reads `ctx.req` itself. */
function replaceBody(ctx: KoaContextWithOIDC, body: Buffer): void {
  ctx.req.headers['content-length'] = String(body.length);
  ctx.req = Object.assign(Readable.from([body], { objectMode: false }), {
    headers: ctx.req.headers,
    method: ctx.req.method,
    url: ctx.req.url,
    socket: ctx.req.socket,
  }) as unknown as typeof ctx.req;
}

export function replaceFormBody(ctx: KoaContextWithOIDC, params: URLSearchParams): void {
  replaceBody(ctx, Buffer.from(params.toString()));
}

/** Reads the whole body as text. A body over the limit is answered with 413 here, and gives `undefined`. */
export async function readBodyText(ctx: KoaContextWithOIDC): Promise<string | undefined> {
  const raw = await readBody(ctx.req);
  if (raw === undefined) {
    // The rest of the body is left unread on the socket, where it would be taken for the next request.
    ctx.set('connection', 'close');
    ctx.status = 413;
    ctx.body = { error: 'invalid_request', error_description: 'request body too large' };
    return undefined;
  }
  replaceBody(ctx, raw);
  return raw.toString('utf8');
}

/**
 * Reads an `application/x-www-form-urlencoded` body and puts it back for oidc-provider. A body
 * over the limit is answered with 413 here, and gives `undefined`.
 */
export async function readFormBody(ctx: KoaContextWithOIDC): Promise<URLSearchParams | undefined> {
  const text = await readBodyText(ctx);
  return text === undefined ? undefined : new URLSearchParams(text);
}

/**
 * A middleware for form POSTs to `paths`: `handle` gets the form (read and put back for oidc-provider)
 * and decides whether to go on. Other requests go on untouched; a body over the limit is answered 413.
 */
export function onFormPost(
  paths: readonly string[],
  handle: (ctx: KoaContextWithOIDC, form: URLSearchParams, next: () => Promise<void>) => Promise<void>,
): Middleware {
  const covered = new Set(paths);
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || !covered.has(ctx.path) || !ctx.is('application/x-www-form-urlencoded')) {
      return next();
    }
    const form = await readFormBody(ctx);
    if (form !== undefined) await handle(ctx, form, next);
  };
}
