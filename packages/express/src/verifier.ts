import { auth, type AuthResult } from 'express-oauth2-jwt-bearer';
import type { Request } from 'express';
import { toAuthResult } from './auth-result.ts';
import { dpopFailure } from './dpop/library-errors.ts';
import { InvalidTokenError } from './errors.ts';
import { ASYMMETRIC_ALGORITHMS, type ResolvedOptions } from './options.ts';
import { createTimeoutAgent } from './timeout-agent.ts';

/** A DPoP-scheme request's proof and the URL it must name, checked by the library with the token. */
export interface ProofContext {
  proof: string;
  method: string;
  url: URL;
}

export type VerifyToken = (token: string, dpop?: ProofContext) => Promise<AuthResult>;

/** RFC 9449 §4.3's iat window, handed to the library's DPoP verification. */
export interface ProofAge {
  iatOffset: number;
  iatLeeway: number;
}

// express-oauth2-jwt-bearer wraps every failure in one error type carrying the underlying message;
// clients get a short, stable description instead (and never a URL of ours or a stack).
const DESCRIPTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/"exp" claim timestamp check failed/, 'Token expired'],
  [/Unexpected 'exp' value|"exp" claim must be a number/, 'Token has no valid expiry'],
  [/"nbf" claim/, 'Token not yet valid'],
  [/"iat" claim|Unexpected 'iat' value/, 'Token issued at an unacceptable time'],
  [/Unexpected 'iss' value|issuer/, 'Unexpected token issuer'],
  [/Unexpected 'aud' value/, 'Unexpected token audience'],
  [/Unexpected 'typ' value/, 'Unexpected token type'],
  [/Unexpected '(sub|client_id|jti)' value/, 'Missing or invalid claim'],
  [/Unsupported algorithm|Unexpected 'alg' value|"alg"/, 'Signing algorithm not allowed'],
  [/signature verification failed/, 'Invalid signature'],
  [/no applicable key found|multiple matching keys/, 'Unknown signing key'],
  [/DPoP/, 'Sender-constrained token used as a bearer token'],
  [/timed out|Failed to fetch|Failed to parse|Expected 200 OK/, 'Signing keys unavailable'],
  [/Compact JWS|formatting|Protected Header|Claims Set|JSON|Unexpected token/, 'Malformed token'],
];

function describeFailure(message: string): string {
  for (const [pattern, description] of DESCRIPTIONS) if (pattern.test(message)) return description;
  return 'Invalid token';
}

function decodeJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Cheap structural checks before any key lookup, so that junk, `alg: none` and HMAC-with-the-public-key
 * tokens are refused without touching the JWKS (an unknown `alg` would otherwise trigger a refetch).
 * Decoding only: the signature is verified by express-oauth2-jwt-bearer.
 */
function precheck(token: string, algorithms: ReadonlySet<string>): void {
  const dot = token.indexOf('.');
  if (dot === -1 || token.indexOf('.', dot + 1) === -1) throw new InvalidTokenError('Malformed token');
  const header = decodeJson(token.slice(0, dot));
  if (typeof header !== 'object' || header === null) throw new InvalidTokenError('Malformed token');
  const { alg } = header as { alg?: unknown };
  if (typeof alg !== 'string' || !algorithms.has(alg)) {
    throw new InvalidTokenError('Signing algorithm not allowed');
  }
}

// The library's only verification entry point is its middleware. We hand it a minimal request
// carrying exactly the token we extracted, so request parsing (RFC 6750) is ours and all JWS,
// discovery and JWKS work stays in the library. Built once; shared by every request.
const requestBase = {
  protocol: 'http',
  method: 'GET',
  originalUrl: '/',
  url: '/',
  query: {},
  body: undefined,
  get: (name: string) => (name === 'Host' ? 'localhost' : undefined),
  is: () => false,
};

function describeDpopRequest(req: Request, token: string, { proof, method, url }: ProofContext): void {
  req.headers = { authorization: `DPoP ${token}`, dpop: proof };
  req.method = method;
  (req as { protocol: string }).protocol = url.protocol.slice(0, -1);
  req.originalUrl = url.pathname;
  req.get = ((name: string) => (name === 'Host' ? url.host : undefined)) as Request['get'];
}

/**
 * Verifies a token the first time it is seen. Fails with `InvalidTokenError`: thrown for junk caught
 * by the precheck, as a rejection otherwise.
 */
export function createVerifier(options: ResolvedOptions, proofAge?: ProofAge): VerifyToken {
  const middleware = auth({
    // '' (not undefined) keeps the library from reading ISSUER_BASE_URL/ISSUER/JWKS_URI/SECRET/
    // TOKEN_SIGNING_ALG from process.env behind our back; an empty value means "not set" to it.
    issuerBaseURL: options.issuerBaseURL ?? '',
    issuer: options.issuer ?? '',
    jwksUri: options.jwksUri ?? '',
    secret: '',
    tokenSigningAlg: '',
    audience: options.audience,
    clockTolerance: options.clockTolerance,
    maxTokenAge: options.maxTokenAge,
    strict: options.strict,
    timeoutDuration: options.timeoutDuration,
    cooldownDuration: options.cooldownDuration,
    cacheMaxAge: options.cacheMaxAge,
    cache: { discovery: { ttl: options.cacheMaxAge }, jwks: { ttl: options.cacheMaxAge } },
    agent:
      options.agent ?? createTimeoutAgent(options.issuerBaseURL ?? options.jwksUri!, options.timeoutDuration),
    authRequired: true,
    // Bearer requests never carry a proof here; DPoP-scheme ones are verified by the library's DPoP code.
    dpop: { enabled: true, required: false, ...proofAge },
  });
  const { algorithms } = options;
  // With discovery and every asymmetric algorithm allowed, the library's own early check is the same.
  const needsPrecheck = !options.issuerBaseURL || ASYMMETRIC_ALGORITHMS.some((alg) => !algorithms.has(alg));

  const { timeoutDuration } = options;

  return (token, dpop) => {
    if (needsPrecheck) precheck(token, algorithms);
    return new Promise((resolve, reject) => {
      // The library bounds each discovery/JWKS request, not the step: discovery alone may try two
      // well-known paths in turn (and an app's own agent may not time out at all). One deadline here
      // bounds the whole answer by timeoutDuration.
      const deadline = setTimeout(
        () => reject(new InvalidTokenError('Signing keys unavailable')),
        timeoutDuration,
      );
      const req = Object.create(requestBase) as Request;
      if (dpop === undefined) req.headers = { authorization: `Bearer ${token}` };
      else describeDpopRequest(req, token, dpop);
      void middleware(req, undefined as never, (err?: unknown) => {
        clearTimeout(deadline);
        if (err) {
          const message = err instanceof Error ? err.message : '';
          reject((dpop && dpopFailure(err)) ?? new InvalidTokenError(describeFailure(message)));
        } else resolve(toAuthResult(req.auth!));
      });
    });
  };
}
