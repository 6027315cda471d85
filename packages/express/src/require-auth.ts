import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthResult } from './auth-result.ts';
import { createVerifiedTokenCache } from './cache.ts';
import { extractToken, type CredentialPolicy } from './credentials.ts';
import { createDpopAuthenticator, type DpopAuthenticator } from './dpop/authenticate.ts';
import { resolveDpopOptions } from './dpop/options.ts';
import { AuthError, InvalidTokenError, UnauthorizedError } from './errors.ts';
import { resolveOptions, type RequireAuthOptions } from './options.ts';
import { refuse, setAnswerPolicy, type AnswerPolicy } from './respond.ts';
import { createVerifier } from './verifier.ts';

const asAuthError = (err: unknown): AuthError =>
  err instanceof AuthError ? err : new InvalidTokenError('Invalid token');

/**
 * The `DPoP` scheme's path: sets the DPoP answer policy, then verifies token and proof. Returns
 * `false` when the request does not use the DPoP scheme (it is then read as Bearer).
 */
function handleDpop(
  dpop: DpopAuthenticator,
  policies: { Bearer: AnswerPolicy; DPoP: AnswerPolicy },
  credentialPolicy: CredentialPolicy,
  [req, res, next]: [Request, Response, NextFunction],
): boolean {
  setAnswerPolicy(req, policies.Bearer);
  let credentials;
  try {
    credentials = dpop.credentials(req, credentialPolicy);
  } catch (err) {
    refuse(req, res, next, asAuthError(err));
    return true;
  }
  if (credentials === undefined) return false;
  setAnswerPolicy(req, policies.DPoP);
  dpop.authenticate(req, res, credentials).then(
    (result: AuthResult) => {
      req.auth = result;
      next();
    },
    (err: unknown) => refuse(req, res, next, asAuthError(err)),
  );
  return true;
}

/**
 * Verifies the access token (Bearer, and DPoP-bound with `dpop`) and sets `req.auth`.
 * Configuration is checked here, at start-up: a missing issuer or audience throws a `TypeError`
 * naming what to set.
 */
export function requireAuth(options?: RequireAuthOptions): RequestHandler {
  const resolved = resolveOptions(options);
  const dpopOptions = resolveDpopOptions(options?.dpop);
  const verify = createVerifier(resolved, dpopOptions);
  const cacheConfig = resolved.cache && { ...resolved.cache, maxTokenAge: resolved.maxTokenAge };
  const cache = cacheConfig && createVerifiedTokenCache(cacheConfig);
  const { authRequired } = resolved;
  const credentialPolicy = {
    allowQueryToken: resolved.allowQueryToken,
    maxTokenLength: resolved.maxTokenLength,
  };
  const answerPolicy =
    resolved.delegateErrors || resolved.realm !== 'api'
      ? { realm: resolved.realm, delegate: resolved.delegateErrors }
      : undefined;
  const dpop =
    dpopOptions &&
    createDpopAuthenticator(
      dpopOptions,
      verify,
      cacheConfig && createVerifiedTokenCache({ ...cacheConfig, boundTokens: true }),
    );
  const base = { realm: resolved.realm, delegate: resolved.delegateErrors };
  const dpopPolicies = dpop && {
    Bearer: { ...base, offer: dpop.offers.Bearer },
    DPoP: { ...base, offer: dpop.offers.DPoP },
  };

  // Not `async`: a cache hit stays synchronous, with no promise allocated.
  return (req, res, next) => {
    if (dpop) {
      if (handleDpop(dpop, dpopPolicies!, credentialPolicy, [req, res, next])) return;
    } else if (answerPolicy) setAnswerPolicy(req, answerPolicy);
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
    if (dpop?.required)
      return refuse(req, res, next, new InvalidTokenError('DPoP-bound token and proof required'));
    const cached = cache && cache.get(token);
    if (cached) {
      req.auth = cached;
      return next();
    }
    let pending;
    try {
      pending = verify(token);
    } catch (err) {
      return refuse(req, res, next, asAuthError(err));
    }
    pending.then(
      (result) => {
        if (cache) cache.set(result);
        req.auth = result;
        next();
      },
      (err: unknown) => refuse(req, res, next, asAuthError(err)),
    );
  };
}
