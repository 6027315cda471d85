/**
 * Stable codes: callers `switch (err.code)` instead of matching messages. The last three are the
 * RFC 6750 §3.1 error codes; `unauthorized` is a request that carried no bearer credentials at all.
 */
export type AuthErrorCode = 'unauthorized' | 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** The JSON body every auth failure is answered with. */
export interface AuthErrorBody {
  error: AuthErrorCode;
  error_description: string;
}

const DEFAULT_REALM = 'api';

// Challenge parameters are quoted-strings; descriptions are restricted to RFC 6750's
// NQSCHAR set (printable ASCII minus `"` and `\`), so nothing a client sent can break the header.
const quoted = (value: string): string => value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '');

/**
 * Base class of every error this package produces. Carries the HTTP status, a ready
 * `WWW-Authenticate` header, and the JSON body; `authErrorHandler()` writes exactly those.
 */
export abstract class AuthError extends Error {
  abstract readonly code: AuthErrorCode;
  abstract readonly status: 400 | 401 | 403;
  /** Scopes the resource needs (only set on `insufficient_scope`). */
  readonly scopes: readonly string[] | undefined = undefined;
  /** Protection space named in the challenge; set by `requireAuth({ realm })`. */
  realm = DEFAULT_REALM;
  /** URL of the API's RFC 9728 metadata, named in the challenge as `resource_metadata`. */
  resourceMetadata: string | undefined = undefined;

  get headers(): { 'WWW-Authenticate': string } {
    let challenge = `Bearer realm="${quoted(this.realm)}"`;
    if (this.code !== 'unauthorized') {
      challenge += `, error="${this.code}", error_description="${quoted(this.message)}"`;
    }
    if (this.scopes) challenge += `, scope="${quoted(this.scopes.join(' '))}"`;
    if (this.resourceMetadata) challenge += `, resource_metadata="${quoted(this.resourceMetadata)}"`;
    return { 'WWW-Authenticate': challenge };
  }

  toJSON(): AuthErrorBody {
    return { error: this.code, error_description: this.message };
  }
}

/** No bearer credentials (none at all, or another scheme such as `Basic`): a bare challenge. */
export class UnauthorizedError extends AuthError {
  readonly code = 'unauthorized';
  readonly status = 401;
  override name = 'UnauthorizedError';
  constructor(message = 'Authentication required') {
    super(message);
  }
}

/** Malformed request: empty token, credentials in several places, several `Authorization` headers. */
export class InvalidRequestError extends AuthError {
  readonly code = 'invalid_request';
  readonly status = 400;
  override name = 'InvalidRequestError';
}

/** The token is malformed, expired, not for us, or its signature does not verify. */
export class InvalidTokenError extends AuthError {
  readonly code = 'invalid_token';
  readonly status = 401;
  override name = 'InvalidTokenError';
}

/** The token is valid but does not grant what this route needs. */
export class InsufficientScopeError extends AuthError {
  readonly code = 'insufficient_scope';
  readonly status = 403;
  override name = 'InsufficientScopeError';
  override readonly scopes: readonly string[] | undefined;
  constructor(message: string, scopes?: readonly string[]) {
    super(message);
    this.scopes = scopes;
  }
}
