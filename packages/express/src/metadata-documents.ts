import type { Application, Request } from 'express';

/** One `protectedResourceMetadata()` document, as challenges and the bare well-known URL need it. */
export interface MetadataDocument {
  /** The `resource` option, as served. */
  readonly resource: string;
  /** Where the document is served (RFC 9728 §3.1). */
  readonly url: string;
  /** The resource URL's path without a terminating slash: `''` for an origin-level resource. */
  readonly path: string;
}

/** Marks a `protectedResourceMetadata()` handler with its document, for `originDocumentMounted`. */
export const kMetadataDocument = Symbol('grantflow.metadataDocument');

const kDocuments = Symbol('grantflow.metadataDocuments');

type DocumentCarrier = Request & { [kDocuments]?: MetadataDocument[] };

/**
 * Records a document on a request passing its middleware. Kept per request, not per app or module:
 * the request itself says which documents its app mounted on its way, and nothing is shared.
 */
export function addResourceMetadata(req: Request, document: MetadataDocument): void {
  const carrier = req as DocumentCarrier;
  (carrier[kDocuments] ??= []).push(document);
}

export const carriesResourceMetadata = (req: Request): boolean =>
  (req as DocumentCarrier)[kDocuments] !== undefined;

/** Whether `path` is `prefix` or lies under it, segment by segment (`/ab` is not under `/a`). */
const under = (path: string, prefix: string): boolean =>
  path.startsWith(prefix) && (path.length === prefix.length || path.charCodeAt(prefix.length) === 47);

/**
 * The document a challenge to this request names (RFC 9728 §5.1), so that its `resource` is the API
 * the client called (§3.3): the one whose `resource` is an audience of the `requireAuth` the request
 * passed, else the one whose path the request's path lies under (the longest), else the only one
 * mounted. With several and none of them for this API, none: a client refuses the wrong one anyway.
 */
export function documentFor(req: Request, audiences: readonly string[] | undefined): string | undefined {
  const documents = (req as DocumentCarrier)[kDocuments];
  if (documents === undefined) return undefined;
  if (documents.length === 1) return documents[0]!.url;
  const audience = audiences && documents.find((document) => audiences.includes(document.resource));
  if (audience) return audience.url;
  const url = req.originalUrl;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  let best: MetadataDocument | undefined;
  for (const document of documents) {
    if (under(path, document.path) && (best === undefined || document.path.length > best.path.length)) {
      best = document;
    }
  }
  return best?.url;
}

/** What is read of an Express app (4 and 5), or of a router, to find the documents it mounts. */
interface Mounting {
  [kMetadataDocument]?: MetadataDocument;
  /** A router's layers. */
  stack?: unknown;
  /** An app's: Express 4 keeps its router in `_router`, made on first use (`router` throws there). */
  _router?: { stack?: unknown };
  lazyrouter?: unknown;
  /** Express 5: the app's router, made when first read. */
  router?: { stack?: unknown };
  /** An app mounted in another with `use`: that app, and the path it is mounted at. */
  parent?: Mounting;
  mountpath?: unknown;
  handle?: unknown;
  set?: unknown;
}

/** A layer of Express's router (4 and 5 alike in what is read here). */
interface Layer {
  handle?: Mounting;
  /** Express 5 (`router`): mounted with `use` at `/`. */
  slash?: boolean;
  /** Express 4: mounted with `use` at `/`. */
  regexp?: { fast_slash?: boolean };
}

const isApp = (handle: Mounting): boolean =>
  typeof handle.handle === 'function' && typeof handle.set === 'function';

/** An app's router stack: `_router` in Express 4 (whose `router` getter throws), `router` in 5. */
const appStack = (app: Mounting): unknown =>
  typeof app.lazyrouter === 'function' ? app._router?.stack : app.router?.stack;

/**
 * Whether a router stack holds, mounted at its root (so it sees the bare well-known URL), an
 * origin-level resource's document: directly, or inside a router or an app mounted at the root of a
 * router. An app mounted with `app.use(sub)` is not reached: Express 4 and 5 alike mount it behind a
 * `mounted_app` closure that exposes neither the app nor its router.
 */
function holdsOriginDocument(stack: unknown, seen: Set<unknown>): boolean {
  if (!Array.isArray(stack) || seen.has(stack)) return false;
  seen.add(stack);
  return (stack as Layer[]).some((layer) => {
    if (layer.slash !== true && layer.regexp?.fast_slash !== true) return false;
    const handle = layer.handle;
    if (handle === undefined || handle === null) return false;
    if (handle[kMetadataDocument]?.path === '') return true;
    return holdsOriginDocument(isApp(handle) ? appStack(handle) : handle.stack, seen);
  });
}

/**
 * Whether the request's app, or an app it is mounted in at the root, serves an origin-level resource's
 * document: then the bare well-known URL is that resource's own metadata URL (RFC 9728 §3.1), never a
 * path resource's. Read from the routers when asked, so it is per app and sees every mount order. A
 * request without an app (Connect, the `router` package alone) knows of none.
 */
export function originDocumentMounted(app: Application | undefined): boolean {
  const seen = new Set<unknown>();
  // The request passes each app on the way from the top app down to `req.app`; one mounted under a
  // path (`app.use('/api', sub)`) hides the bare URL of the apps above it.
  for (let at = app as Mounting | undefined; at; at = at.mountpath === '/' ? at.parent : undefined) {
    if (holdsOriginDocument(appStack(at), seen)) return true;
  }
  return false;
}
