import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoopbackFront } from '../../../../scripts/loopback-front.js';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

export const AUDIENCE = 'https://api.test/things';

/**
 * How the JWKS endpoint answers: normally, with a 500, never (the socket is held open), or not at
 * all: the connection closed (`hangup`) or reset with a TCP RST (`reset`).
 */
export type JwksMode = 'ok' | 'error' | 'hang' | 'hangup' | 'reset';

export interface SignOptions {
  alg?: 'RS256' | 'PS256' | 'ES256';
  /** Default: the algorithm's key (`rs256`, ...); `null`: no `kid` in the header. */
  kid?: string | null;
  typ?: string;
  /** Further protected header members, set last (e.g. a `kid` that is not a string). */
  header?: Record<string, unknown>;
  /** Claims to drop from the defaults (e.g. `exp`). */
  omit?: string[];
}

export interface TestIssuer {
  issuer: string;
  jwksHits: number;
  discoveryHits: number;
  jwksMode: JwksMode;
  discoveryMode: JwksMode;
  /** When set (and `jwksMode` is 'ok'), the JWKS answers 200 with this body instead of its keys. */
  jwksBody: string | undefined;
  /** Milliseconds every request waits before it is answered (a slow issuer). Default 0. */
  latency: number;
  /** A token signed by one of the issuer's published keys. */
  sign(claims?: JWTPayload, options?: SignOptions): Promise<string>;
  /** Publishes one more RS256 key under `kid` (a rotation); `sign({}, { kid })` then signs with it. */
  publishKey(kid: string): Promise<void>;
  /** Takes `kid` out of the JWKS (a revoked key); sign with it before. */
  unpublishKey(kid: string): void;
  /** Signs with a key the JWKS does not publish (same `kid` unless given). */
  signWithForeignKey(claims?: JWTPayload, options?: SignOptions): Promise<string>;
  /** PEM of the published RS256 public key (for the HMAC key-confusion attack). */
  rsaPublicPem: string;
  close(): Promise<void>;
}

const ALGS = ['RS256', 'PS256', 'ES256'] as const;

async function keyPair(alg: (typeof ALGS)[number]) {
  return generateKeyPair(alg, { extractable: true });
}

export interface TestIssuerOptions {
  /** The issuer's path after its origin (e.g. `/tenant/`). Default: none. */
  path?: string;
  /** Which discovery document it serves: OpenID's (default) or only RFC 8414's. */
  wellKnown?: 'openid' | 'oauth';
  /** Further members of the discovery document. */
  metadata?: Record<string, unknown>;
  /** A port held before it starts, which it then serves (and names) instead of its own. */
  front?: LoopbackFront;
}

/** The discovery document's path: OpenID Discovery §4 appends, RFC 8414 §3.1 inserts (no final `/`). */
function discoveryPath(path: string, wellKnown: 'openid' | 'oauth'): string {
  const trimmed = path.replace(/\/$/, '');
  return wellKnown === 'openid'
    ? `${trimmed}/.well-known/openid-configuration`
    : `/.well-known/oauth-authorization-server${trimmed}`;
}

/** A tiny OpenID discovery + JWKS server on a free loopback port, signing with its own test keys. */
export async function startTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const { path = '', wellKnown = 'openid', metadata, front } = options;
  const discovery = discoveryPath(path, wellKnown);
  const keys = new Map<string, { privateKey: CryptoKey; publicKey: CryptoKey; jwk: JWK }>();
  // Made on first use: an RSA key pair takes a second or more on a loaded machine, and most tests
  // never sign with a foreign key.
  const foreign = new Map<string, Promise<CryptoKey>>();
  const foreignKey = (alg: (typeof ALGS)[number]) => {
    const made = foreign.get(alg) ?? keyPair(alg).then((pair) => pair.privateKey);
    foreign.set(alg, made);
    return made;
  };
  const server: Server = createServer((req, res) => {
    if (req.url === '/jwks.json') state.jwksHits++;
    else state.discoveryHits++;
    if (state.latency > 0) setTimeout(answer, state.latency, req, res);
    else answer(req, res);
  });
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const mode = req.url === '/jwks.json' ? state.jwksMode : state.discoveryMode;
    if (mode === 'hang') return;
    if (mode === 'hangup') {
      req.socket.destroy();
      return;
    }
    if (mode === 'reset') {
      req.socket.resetAndDestroy();
      return;
    }
    if (mode === 'error') {
      res.writeHead(500).end();
      return;
    }
    res.setHeader('Content-Type', 'application/json');
    if (req.url === discovery) {
      res.end(JSON.stringify({ issuer: state.issuer, jwks_uri: `${origin}/jwks.json`, ...metadata }));
    } else if (req.url === '/jwks.json') {
      res.end(state.jwksBody ?? JSON.stringify({ keys: [...keys.values()].map((k) => k.jwk) }));
    } else {
      res.writeHead(404).end('{}');
    }
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${front?.port ?? port}`;
  for (const alg of ALGS) {
    const { privateKey, publicKey } = await keyPair(alg);
    const kid = alg.toLowerCase();
    keys.set(kid, { privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } });
  }
  const rsaPublicPem = await exportSPKI(keys.get('rs256')!.publicKey);

  const claims = (extra: JWTPayload, omit: string[] = []): JWTPayload => {
    const now = Math.floor(Date.now() / 1000);
    const all: JWTPayload = {
      iss: state.issuer,
      aud: AUDIENCE,
      sub: 'user-1',
      scope: 'read:things',
      iat: now,
      exp: now + 300,
      ...extra,
    };
    for (const name of omit) delete all[name];
    return all;
  };
  const sign = (key: CryptoKey, extra: JWTPayload, { alg = 'RS256', kid, typ, header, omit }: SignOptions) =>
    new SignJWT(claims(extra, omit))
      .setProtectedHeader({
        alg,
        ...(kid === null ? {} : { kid: kid ?? alg.toLowerCase() }),
        ...(typ ? { typ } : {}),
        ...header,
      })
      .sign(key);

  const state: TestIssuer = {
    issuer: `${origin}${path}`,
    jwksHits: 0,
    discoveryHits: 0,
    jwksMode: 'ok',
    discoveryMode: 'ok',
    jwksBody: undefined,
    latency: 0,
    rsaPublicPem,
    sign: (extra = {}, options = {}) =>
      sign(
        (keys.get(options.kid ?? '') ?? keys.get((options.alg ?? 'RS256').toLowerCase()))!.privateKey,
        extra,
        options,
      ),
    async publishKey(kid) {
      const { privateKey, publicKey } = await keyPair('RS256');
      keys.set(kid, { privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256' } });
    },
    unpublishKey: (kid) => void keys.delete(kid),
    signWithForeignKey: async (extra = {}, options = {}) =>
      sign(await foreignKey(options.alg ?? 'RS256'), extra, options),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  // Only now, with its keys made (seconds under load): a request comes to it ready to answer.
  front?.route(port);
  return state;
}

/** Ways a JWKS fails: a 500, and a 200 whose body is no key set (the library calls that a bad token). */
export const JWKS_FAILURES: Array<[string, (idp: TestIssuer) => void]> = [
  ['answers 500', (idp) => (idp.jwksMode = 'error')],
  ['serves a malformed key set', (idp) => (idp.jwksBody = '{}')],
];

/** Base64url JSON, for hand-made malicious tokens (e.g. `alg: none`). */
export const segment = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
