import type { Request } from 'express';

/**
 * The request's URL as the client addressed it, which a proof's `htu` must name (RFC 9449 §4.3).
 *
 * - With `publicBaseURL` (e.g. `https://api.example.com`): that origin and path prefix, then the path.
 * - Else, when Express `trust proxy` trusts the peer: `X-Forwarded-Proto` / `X-Forwarded-Host`.
 * - Else the connection itself: its scheme, and a `Host` accepted only when it names this server's
 *   own address and port (or `localhost` with that port).
 *
 * An absolute-form request target's authority takes the place of `Host` (and, like it, is never
 * used with `publicBaseURL` nor believed unless it names this server). The raw `Host` header alone
 * is never believed: a client could otherwise make us accept proofs
 * made for any other server. Returns `undefined` when the URL cannot be trusted.
 */
export type RequestUrl = (req: Request) => string | undefined;

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const comma = value.indexOf(',');
  return (comma === -1 ? value : value.slice(0, comma)).trim();
}

interface RequestTarget {
  /** The authority of an absolute-form target, lower-cased; `undefined` for the usual origin-form. */
  authority: string | undefined;
  /** The path, without query or fragment. */
  path: string;
}

/**
 * The request target's authority and path. RFC 9112 §3.2.2: a server MUST accept the absolute-form
 * (`GET http://host/path`, sent to proxies and by some clients), whose authority then stands for the
 * Host header; Node and Express leave the whole URL in `originalUrl`.
 */
function targetOf(req: Request): RequestTarget {
  const target = req.originalUrl ?? req.url ?? '/';
  if (!target.startsWith('/')) {
    const url = URL.parse(target);
    if (url !== null && (url.protocol === 'http:' || url.protocol === 'https:')) {
      return { authority: url.host, path: url.pathname };
    }
  }
  const end = target.search(/[?#]/);
  return { authority: undefined, path: end === -1 ? target : target.slice(0, end) };
}

function isOwnHost(req: Request, host: string, secure: boolean): boolean {
  const { localAddress, localPort } = req.socket;
  if (localAddress === undefined || localPort === undefined) return false;
  const address = localAddress.startsWith('::ffff:') ? localAddress.slice(7) : localAddress;
  const names = [address.includes(':') ? `[${address}]` : address, 'localhost'];
  const defaultPort = secure ? 443 : 80;
  return names.some(
    (name) => host === `${name}:${localPort}` || (localPort === defaultPort && host === name),
  );
}

/**
 * RFC 9110 §7.2 / RFC 3986 §3.2.2: `uri-host [ ":" port ]` and nothing else. A forwarded host with a
 * path, query, fragment or userinfo would otherwise move part of another URL into `htu`.
 */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9\-._~!$&'()*+;=%]+)(?::[0-9]*)?$/;

function trustsProxy(req: Request): boolean {
  const trust = req.app?.get('trust proxy fn') as
    ((addr: string | undefined, i: number) => boolean) | undefined;
  return typeof trust === 'function' && trust(req.socket.remoteAddress, 0);
}

/**
 * A loop, not `/\/+$/`: unanchored at the start, that regular expression retries from every slash
 * of a run that does not end the string, quadratic in the run's length.
 */
function withoutTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x2f) end--;
  return value.slice(0, end);
}

export function createRequestUrl(publicBaseURL: string | undefined): RequestUrl {
  if (publicBaseURL !== undefined) {
    const base = withoutTrailingSlashes(publicBaseURL);
    // Only the path is taken from the request: an absolute-form target's authority is not believed.
    return (req) => base + targetOf(req).path;
  }
  return (req) => {
    const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
    const { authority, path } = targetOf(req);
    const host = authority ?? req.headers.host?.toLowerCase();
    if (trustsProxy(req)) {
      // Schemes are case-insensitive (RFC 3986 §3.1): a proxy may send `HTTPS`.
      const proto =
        firstValue(req.headers['x-forwarded-proto'])?.toLowerCase() ?? (secure ? 'https' : 'http');
      const forwardedHost = firstValue(req.headers['x-forwarded-host'])?.toLowerCase() ?? host;
      if (forwardedHost === undefined || !HOST.test(forwardedHost)) return undefined;
      if (proto !== 'http' && proto !== 'https') return undefined;
      return `${proto}://${forwardedHost}${path}`;
    }
    // An absolute-form authority is checked like a Host header: only this server's own address.
    if (host === undefined || !isOwnHost(req, host, secure)) return undefined;
    return `${secure ? 'https' : 'http'}://${host}${path}`;
  };
}
