import { StorageError } from '@grantflow/core';

/** Stable codes of the failures this package adds to `@grantflow/core`'s (which it throws as they are). */
export type NodeAuthErrorCode = 'login_cancelled' | 'token_storage';

/** Base class of the errors `@grantflow/node` itself throws; bad arguments are `TypeError`s. */
export abstract class NodeAuthError extends Error {
  abstract readonly code: NodeAuthErrorCode;
}

/** The login was given up before the browser came back: Ctrl-C (SIGINT) or the caller's `signal`. */
export class LoginCancelledError extends NodeAuthError {
  readonly code = 'login_cancelled';
  override name = 'LoginCancelledError';
}

/** The token file could not be read or written (permissions, a full disk, a file that is not ours). */
export class TokenStorageError extends NodeAuthError {
  readonly code = 'token_storage';
  override name = 'TokenStorageError';
}

/**
 * Core reports any failing storage as its `StorageError`; this package's callers get `TokenStorageError`
 * for the token storage: the token file's own (which names the file), or one carrying another storage's
 * failure as its `cause`.
 */
export function asTokenStorageError(error: unknown): unknown {
  if (!(error instanceof StorageError)) return error;
  const { cause } = error;
  if (cause instanceof TokenStorageError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new TokenStorageError(`the token storage failed: ${reason}`, { cause });
}
