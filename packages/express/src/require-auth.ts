import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthResult } from 'express-oauth2-jwt-bearer';
import { createVerifiedTokenCache } from './cache.ts';
import { extractToken } from './credentials.ts';
import { AuthError, InvalidTokenError, UnauthorizedError } from './errors.ts';
import { resolveOptions, type RequireAuthOptions } from './options.ts';
import { refuse, setAnswerPolicy } from './respond.ts';
import { checkBearerPresentation } from './presentation.ts';
import { createVerifier } from './verifier.ts';

const asAuthError = (err: unknown): AuthError =>
  err instanceof AuthError ? err : new InvalidTokenError('Invalid token');

/**
 * Verifies the bearer access token and sets `req.auth`. Configuration is checked here, at start-up:
 * a missing issuer or audience throws a `TypeError` naming what to set.
 */
export function requireAuth(options?: RequireAuthOptions): RequestHandler {
  const resolved = resolveOptions(options);
  const verify = createVerifier(resolved);
  const cache =
    resolved.cache && createVerifiedTokenCache({ ...resolved.cache, maxTokenAge: resolved.maxTokenAge });
  const { authRequired } = resolved;
  const credentialPolicy = {
    allowQueryToken: resolved.allowQueryToken,
    maxTokenLength: resolved.maxTokenLength,
  };
  const answerPolicy =
    resolved.delegateErrors || resolved.realm !== 'api' || resolved.resourceMetadata !== undefined
      ? {
          realm: resolved.realm,
          delegate: resolved.delegateErrors,
          resourceMetadata: resolved.resourceMetadata,
        }
      : undefined;

  // Not `async`: a cache hit stays synchronous, with no promise allocated.
  return (req, res, next) => {
    if (answerPolicy) setAnswerPolicy(req, answerPolicy);
    let token: string | undefined;
    try {
      token = extractToken(req, credentialPolicy);
    } catch (err) {
      return refuse(req, res, next, asAuthError(err));
    }
    if (token === undefined) {
      if (authRequired) refuse(req, res, next, new UnauthorizedError());
      else next();
      return;
    }
    const cached = cache && cache.get(token);
    if (cached) return admit(req, res, next, cached);
    verify(token, (err, result) => {
      if (err) return refuse(req, res, next, err);
      if (cache) cache.set(result!);
      admit(req, res, next, result!);
    });
  };
}

function admit(req: Request, res: Response, next: NextFunction, result: AuthResult): void {
  const refused = checkBearerPresentation(result);
  if (refused) return refuse(req, res, next, refused);
  req.auth = result;
  next();
}
