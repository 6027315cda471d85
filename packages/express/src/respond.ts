import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { AuthError, type ChallengeOffer } from './errors.js';
import { documentFor } from './metadata-documents.js';

/**
 * Per-request answer policy, set by `requireAuth` only when it differs from the default or a metadata
 * document was mounted before it (its audiences then pick the document a challenge names).
 */
export interface AnswerPolicy {
  realm: string;
  delegate: boolean;
  resourceMetadata: string | undefined;
  /** The `requireAuth`'s accepted audiences: the mounted document for one of them is this API's. */
  audiences?: readonly string[];
  /** Challenges to offer (DPoP on); `undefined`: Bearer only. */
  offer?: ChallengeOffer;
}

export const kAnswerPolicy = Symbol('grantflow.answerPolicy');

type PolicyCarrier = Request & { [kAnswerPolicy]?: AnswerPolicy };

export function setAnswerPolicy(req: Request, policy: AnswerPolicy): void {
  (req as PolicyCarrier)[kAnswerPolicy] = policy;
}

/**
 * Fills in what `requireAuth` and `protectedResourceMetadata()` set for this request: the realm, the
 * challenges offered (DPoP) and `resource_metadata`, so an error made by the app itself (e.g. a
 * check of its own after `requireAuth`) carries the same challenge as every other answer.
 */
function applyAnswerPolicy(req: Request, err: AuthError): AnswerPolicy | undefined {
  const policy = (req as PolicyCarrier)[kAnswerPolicy];
  if (policy) {
    err.realm = policy.realm;
    if (policy.offer) err.offer = policy.offer;
  }
  // Chosen only now, when a challenge is written: admitted requests pay nothing for it.
  const metadata = policy?.resourceMetadata ?? documentFor(req, policy?.audiences);
  if (metadata !== undefined) err.resourceMetadata = metadata;
  return policy;
}

/**
 * Writes the RFC 6750 / RFC 9449 answer: status, `WWW-Authenticate` (and `DPoP-Nonce` or
 * `Retry-After` where they apply), and `{ error, error_description }`. The challenge follows the
 * request's answer policy (realm, DPoP, `resource_metadata`), also for errors the app made itself.
 */
export function sendAuthError(res: Response, err: AuthError): void {
  // `res.req` is set by Express (4 and 5) on every response.
  if (res.req) applyAnswerPolicy(res.req, err);
  write(res, err);
}

function write(res: Response, err: AuthError): void {
  res.status(err.status);
  const { headers } = err;
  for (const name in headers) res.setHeader(name, headers[name]!);
  res.json(err.toJSON());
}

/** Answers here, or hands the error to `next(err)` when the app asked for `errors: 'next'`. */
export function refuse(req: Request, res: Response, next: NextFunction, err: AuthError): void {
  if (applyAnswerPolicy(req, err)?.delegate) next(err);
  else write(res, err);
}

/**
 * Error middleware writing the same answers for `AuthError`s that reached `next(err)` (with
 * `requireAuth({ errors: 'next' })`); anything else goes on to the app's own error handler.
 */
export function authErrorHandler(): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (err instanceof AuthError && !res.headersSent) sendAuthError(res, err);
    else next(err);
  };
}
