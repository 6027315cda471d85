import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthResult } from 'express-oauth2-jwt-bearer';
import { createVerifiedTokenCache, type VerifiedTokenCache } from './cache.js';
import {
  extractToken,
  tokenSyntaxError,
  usesScheme,
  type CredentialPolicy,
  type PresentedToken,
} from './credentials.js';
import { createDpopAuthenticator, type DpopAuthenticator } from './dpop/authenticate.js';
import { resolveDpopOptions, type ResolvedDpop } from './dpop/options.js';
import { AuthError, InvalidTokenError, UnauthorizedError } from './errors.js';
import { carriesResourceMetadata } from './metadata-documents.js';
import { resolveOptions, type RequireAuthOptions, type ResolvedOptions } from './options.js';
import { refuse, setAnswerPolicy, type AnswerPolicy } from './respond.js';
import { checkBearerPresentation } from './presentation.js';
import { createVerifier, type VerifyToken } from './verifier.js';

const asAuthError = (err: unknown): AuthError =>
  err instanceof AuthError ? err : new InvalidTokenError('Invalid token');

interface DpopRoute {
  authenticator: DpopAuthenticator;
  policies: { Bearer: AnswerPolicy; DPoP: AnswerPolicy };
}

/**
 * A `DPoP` scheme request: token and proof verified here. Returns `false` for any other request,
 * which is then read as Bearer. The answer policy is set first, from the scheme alone, so that even a
 * malformed request's error goes on the challenge of the scheme it used (RFC 9449 §7.1, RFC 6750 §3).
 */
function handleDpop(
  { authenticator, policies }: DpopRoute,
  credentialPolicy: CredentialPolicy,
  req: Request,
  res: Response,
  next: NextFunction,
): boolean {
  const dpopScheme = usesScheme(req, 'dpop');
  setAnswerPolicy(req, dpopScheme ? policies.DPoP : policies.Bearer);
  let credentials;
  try {
    if (!dpopScheme) {
      authenticator.checkBearerRequest(req);
      return false;
    }
    credentials = authenticator.credentials(req, credentialPolicy);
  } catch (err) {
    refuse(req, res, next, asAuthError(err));
    return true;
  }
  authenticator.authenticate(req, res, credentials).then(
    (result) => {
      req.auth = result;
      next();
    },
    (err: unknown) => refuse(req, res, next, asAuthError(err)),
  );
  return true;
}

/** The answer policy of Bearer requests when it differs from the default (and the DPoP base). */
function answerPolicies(resolved: ResolvedOptions): { base: AnswerPolicy; bearer: AnswerPolicy | undefined } {
  const base = {
    realm: resolved.realm,
    delegate: resolved.delegateErrors,
    resourceMetadata: resolved.resourceMetadata,
    audiences: resolved.issuers.flatMap((issuer) => issuer.audience),
  };
  const isDefault =
    !resolved.delegateErrors && resolved.realm === 'api' && base.resourceMetadata === undefined;
  return { base, bearer: isDefault ? undefined : base };
}

function createDpopRoute(
  options: ResolvedDpop | undefined,
  base: AnswerPolicy,
  verify: VerifyToken,
  cache: VerifiedTokenCache | false,
): DpopRoute | undefined {
  const authenticator = options && createDpopAuthenticator(options, verify, cache);
  return (
    authenticator && {
      authenticator,
      policies: {
        Bearer: { ...base, offer: authenticator.offers.Bearer },
        DPoP: { ...base, offer: authenticator.offers.DPoP },
      },
    }
  );
}

/**
 * Verifies the access token (Bearer, and DPoP-bound ones with `dpop`) and sets `req.auth`.
 * Configuration is checked here, at start-up: a missing issuer or audience throws a `TypeError`
 * naming what to set.
 */
export function requireAuth(options?: RequireAuthOptions): RequestHandler {
  const resolved = resolveOptions(options);
  const dpopOptions = resolveDpopOptions(options?.dpop);
  const verify = createVerifier(resolved);
  const cache =
    resolved.cache && createVerifiedTokenCache({ ...resolved.cache, maxTokenAge: resolved.maxTokenAge });
  const { authRequired } = resolved;
  const credentialPolicy = {
    allowQueryToken: resolved.allowQueryToken,
    maxTokenLength: resolved.maxTokenLength,
  };
  const { base, bearer: answerPolicy } = answerPolicies(resolved);
  const dpop = createDpopRoute(dpopOptions, base, verify, cache);

  // Not `async`: a cache hit stays synchronous, with no promise allocated.
  return (req, res, next) => {
    if (dpop) {
      if (handleDpop(dpop, credentialPolicy, req, res, next)) return;
    } else if (answerPolicy) setAnswerPolicy(req, answerPolicy);
    // The audiences pick the mounted metadata document a challenge names (see `documentFor`).
    else if (carriesResourceMetadata(req)) setAnswerPolicy(req, base);
    let presented: PresentedToken | undefined;
    try {
      presented = extractToken(req, credentialPolicy);
    } catch (err) {
      return refuse(req, res, next, asAuthError(err));
    }
    if (presented === undefined) {
      if (authRequired) refuse(req, res, next, new UnauthorizedError());
      else next();
      return;
    }
    const { token, from } = presented;
    if (dpop?.authenticator.required) {
      const refused = tokenSyntaxError(token, credentialPolicy);
      return refuse(req, res, next, refused ?? new InvalidTokenError('DPoP-bound token and proof required'));
    }
    // Looked up before its syntax is checked: a cached token passed that check when it was verified.
    const cached = cache && cache.get(token);
    if (cached) return admit(req, res, next, cached, from);
    const malformed = tokenSyntaxError(token, credentialPolicy);
    if (malformed) return refuse(req, res, next, malformed);
    verify(token, (err, result) => {
      if (err) return refuse(req, res, next, err);
      if (cache) cache.set(result!);
      admit(req, res, next, result!, from);
    });
  };
}

/**
 * RFC 6750 §2.3: the answer to a request that carried its token in the URI is for that user alone. The
 * app's own directives stay (`no-cache`, `max-age`, ...); only `public` gives way to `private`. Applied as
 * the head is written, so a `Cache-Control` the route sets after this middleware is covered too.
 */
function keepPrivate(res: Response): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: unknown[]) {
    // Headers given to writeHead itself would override the response's: their Cache-Control joins it first.
    const given = args.at(-1);
    if (given && typeof given === 'object') args[args.length - 1] = withoutCacheControl(this, given);
    makePrivate(this);
    return writeHead.apply(this, args as Parameters<Response['writeHead']>);
  } as Response['writeHead'];
}

const isCacheControl = (name: unknown) => typeof name === 'string' && /^cache-control$/i.test(name);

/** writeHead's headers, an object or Node's flat `[name, value, ...]` list, less the Cache-Control set on `res`. */
function withoutCacheControl(res: Response, headers: object): object {
  if (Array.isArray(headers)) {
    const rest: unknown[] = [];
    for (let i = 0; i < headers.length; i += 2) {
      if (isCacheControl(headers[i])) res.setHeader('Cache-Control', headers[i + 1] as string);
      else rest.push(headers[i], headers[i + 1]);
    }
    return rest;
  }
  const rest: Record<string, unknown> = { ...headers };
  for (const name of Object.keys(rest).filter(isCacheControl)) {
    res.setHeader('Cache-Control', rest[name] as string);
    delete rest[name];
  }
  return rest;
}

function makePrivate(res: Response): void {
  const current = res.getHeader('Cache-Control');
  const directives = (current === undefined ? '' : String(current))
    .split(',')
    .map((directive) => directive.trim())
    .filter((directive) => directive && !/^public$/i.test(directive));
  const strict = directives.some((directive) => /^(?:private|no-store)\b/i.test(directive));
  res.setHeader('Cache-Control', (strict ? directives : ['private', ...directives]).join(', '));
}

function admit(
  req: Request,
  res: Response,
  next: NextFunction,
  result: AuthResult,
  from: PresentedToken['from'],
): void {
  const refused = checkBearerPresentation(result);
  if (refused) return refuse(req, res, next, refused);
  if (from === 'query') keepPrivate(res);
  req.auth = result;
  next();
}
