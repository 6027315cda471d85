import { AuthError, sendAuthError } from '@grantflow/express';
import type { ErrorRequestHandler, RequestHandler } from 'express';

export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ error: 'not_found', error_description: 'No such route' });
};

interface HttpError {
  status?: unknown;
  type?: unknown;
}

// body-parser's error types, named in the JSON answer.
const BODY_ERRORS: Record<string, string> = {
  'entity.too.large': 'The request body is too large',
  'entity.parse.failed': 'The request body is not valid JSON',
  'encoding.unsupported': 'The request body encoding is not supported',
  'charset.unsupported': 'The request body charset is not supported',
};

/**
 * Every error as JSON: auth failures keep their status and `WWW-Authenticate`; client errors keep
 * their 4xx; anything else is a 500 without details (logged, never with the request's token).
 */
export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof AuthError) return sendAuthError(res, err);
  const { status, type } = (typeof err === 'object' && err !== null ? err : {}) as HttpError;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const description = (typeof type === 'string' && BODY_ERRORS[type]) || 'The request is invalid';
    res.status(status).json({
      error: status === 413 ? 'payload_too_large' : 'invalid_request',
      error_description: description,
    });
    return;
  }
  // The stack only: error objects may carry request data (bodies, headers) that must not reach logs.
  console.error('Unhandled error:', err instanceof Error ? err.stack : typeof err);
  res.status(500).json({ error: 'server_error', error_description: 'Something went wrong' });
};
