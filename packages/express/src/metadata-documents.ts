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

/** A layer of Express's router (4 and 5 alike in what is read here). */
interface Layer {
  handle?: { [kMetadataDocument]?: MetadataDocument; stack?: unknown };
  /** Express 5 (`router`): mounted with `use` at `/`. */
  slash?: boolean;
  /** Express 4: mounted with `use` at `/`. */
  regexp?: { fast_slash?: boolean };
}

/**
 * Whether a router stack holds, mounted at its root (so it sees the bare well-known URL), an
 * origin-level resource's document: directly, or inside a router mounted at the root.
 */
function holdsOriginDocument(stack: unknown): boolean {
  if (!Array.isArray(stack)) return false;
  return (stack as Layer[]).some((layer) => {
    if (layer.slash !== true && layer.regexp?.fast_slash !== true) return false;
    const handle = layer.handle;
    if (handle?.[kMetadataDocument]?.path === '') return true;
    return holdsOriginDocument(handle?.stack);
  });
}

/**
 * Whether the request's app serves an origin-level resource's document: then the bare well-known URL
 * is that resource's own metadata URL (RFC 9728 §3.1), never a path resource's. Read from the app's
 * router when asked, so it is per app and sees every mount order. Express keeps its router in
 * `_router` (4) or `router` (5; a getter that throws in 4).
 */
export function originDocumentMounted(app: Application): boolean {
  const { _router: router4 } = app as { _router?: { stack?: unknown } };
  const router = router4 ?? (app as { router?: { stack?: unknown } }).router;
  return holdsOriginDocument(router?.stack);
}
