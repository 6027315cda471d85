import type { Request } from 'express';

/**
 * The request's URL as the client addressed it, which a proof's `htu` must name (RFC 9449 §4.3).
 *
 * - With `publicBaseURL` (e.g. `https://api.example.com`): that origin and path prefix, then the path.
 * - Else, when Express `trust proxy` trusts the peer: `X-Forwarded-Proto` / `X-Forwarded-Host`.
 * - Else the connection itself: its scheme, and a `Host` accepted only when it names this server's
 *   own address and port (or `localhost` with that port).
 *
 * The raw `Host` header alone is never believed: a client could otherwise make us accept proofs
 * made for any other server. Returns `undefined` when the URL cannot be trusted.
 */
export type RequestUrl = (req: Request) => string | undefined;

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const comma = value.indexOf(',');
  return (comma === -1 ? value : value.slice(0, comma)).trim();
}

function pathOf(req: Request): string {
  const path = req.originalUrl ?? req.url ?? '/';
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end);
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

function trustsProxy(req: Request): boolean {
  const trust = req.app?.get('trust proxy fn') as
    ((addr: string | undefined, i: number) => boolean) | undefined;
  return typeof trust === 'function' && trust(req.socket.remoteAddress, 0);
}

export function createRequestUrl(publicBaseURL: string | undefined): RequestUrl {
  if (publicBaseURL !== undefined) {
    const base = publicBaseURL.replace(/\/+$/, '');
    return (req) => base + pathOf(req);
  }
  return (req) => {
    const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
    if (trustsProxy(req)) {
      // Schemes are case-insensitive (RFC 3986 §3.1): a proxy may send `HTTPS`.
      const proto =
        firstValue(req.headers['x-forwarded-proto'])?.toLowerCase() ?? (secure ? 'https' : 'http');
      const host = firstValue(req.headers['x-forwarded-host']) ?? req.headers.host;
      if (host === undefined || (proto !== 'http' && proto !== 'https')) return undefined;
      return `${proto}://${host.toLowerCase()}${pathOf(req)}`;
    }
    const host = req.headers.host?.toLowerCase();
    if (host === undefined || !isOwnHost(req, host, secure)) return undefined;
    return `${secure ? 'https' : 'http'}://${host}${pathOf(req)}`;
  };
}
