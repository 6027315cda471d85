/** Stable codes: callers `switch (err.code)` instead of matching messages. */
export type GrantflowErrorCode =
  | 'state_mismatch'
  | 'missing_transaction'
  | 'login_required'
  | 'missing_refresh_token'
  | 'oauth_error'
  | 'invalid_grant'
  | 'mfa_required'
  | 'authorization_error'
  | 'timeout'
  | 'network_error'
  | 'invalid_response'
  | 'id_token_invalid'
  | 'userinfo_error'
  | 'subject_mismatch'
  | 'popup_blocked'
  | 'popup_closed'
  | 'storage_error'
  | 'unsupported_environment';

/**
 * Base class of every error this package throws (bad arguments aside, which are `TypeError`s). As on
 * Auth0's SDK's, `error_description` is the message (a server's answer: its own, if any), and `error` is
 * there where Auth0's has one.
 */
export abstract class GrantflowError extends Error {
  abstract readonly code: GrantflowErrorCode;
  readonly error_description: string | undefined;
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.error_description = message;
  }
}

/** The callback's `state` is unknown, already used, or absent: nothing stored was touched. */
export class StateMismatchError extends GrantflowError {
  readonly code = 'state_mismatch';
  readonly error = 'state_mismatch';
  override name = 'StateMismatchError';
}

/** The login transaction for this `state` expired before the callback came back. */
export class MissingTransactionError extends GrantflowError {
  readonly code = 'missing_transaction';
  readonly error = 'missing_transaction';
  override name = 'MissingTransactionError';
}

export interface OAuthErrorFields {
  error: string;
  error_description?: string | undefined;
  error_uri?: string | undefined;
}

/** An error answer at the redirect URI: its `state`, and the `appState` of the login it ends. */
export interface CallbackRefusal {
  readonly state: string | undefined;
  readonly appState: unknown;
}

/** Exactly the RFC 6749 error fields, whatever else the source (a callback's parameters, a body) has. */
const oauthFields = ({ error, error_description, error_uri }: OAuthErrorFields): OAuthErrorFields => ({
  error,
  error_description,
  error_uri,
});

/**
 * No usable session: the user must sign in interactively. When the authorization server answered so
 * (`error=login_required`, OIDC Core §3.1.2.6), the answer's RFC 6749 error fields come with it, as on
 * `AuthorizationError`, and the message is its description.
 */
export class LoginRequiredError extends GrantflowError implements Partial<OAuthErrorFields>, CallbackRefusal {
  readonly code = 'login_required';
  override name = 'LoginRequiredError';
  declare readonly error: string;
  declare readonly error_uri: string | undefined;
  declare readonly state: string | undefined;
  declare readonly appState: unknown;
  constructor(reason: string | OAuthErrorFields, options?: ErrorOptions) {
    super(typeof reason === 'string' ? reason : reason.error_description || reason.error, options);
    if (typeof reason === 'string') this.error = 'login_required';
    else serverAnswers.add(Object.assign(this, oauthFields(reason)));
  }
}

const serverAnswers = new WeakSet<Error>();
/** The authorization server's own `login_required` (a silent authorization's), not a local conclusion. */
export const answeredByServer = (error: Error): boolean => serverAnswers.has(error);

/** A token was needed that only a refresh token could get, and none is stored for that `audience`. */
export class MissingRefreshTokenError extends GrantflowError {
  readonly code = 'missing_refresh_token';
  readonly error = 'missing_refresh_token';
  override name = 'MissingRefreshTokenError';
  constructor(
    message: string,
    readonly audience?: string,
    readonly scope?: string,
  ) {
    super(message);
  }
}

/** Carries the RFC 6749 error fields; the message is the description. */
abstract class OAuthFieldsError extends GrantflowError implements OAuthErrorFields {
  declare readonly error: string;
  declare readonly error_description: string | undefined;
  declare readonly error_uri: string | undefined;
  constructor(fields: OAuthErrorFields) {
    super(fields.error_description || fields.error);
    Object.assign(this, oauthFields(fields));
  }
}

/** An OAuth error body from the token endpoint (RFC 6749 §5.2), with the HTTP status. */
export class OAuthError extends OAuthFieldsError {
  readonly code: 'oauth_error' | 'invalid_grant' | 'mfa_required';
  override name = 'OAuthError';
  /**
   * Seconds a 429 or 503 answer asked to wait before the next request (`Retry-After`, else Auth0's
   * `x-ratelimit-reset`); `undefined` when it named no usable wait.
   */
  declare readonly retryAfter: number | undefined;
  constructor(
    fields: OAuthErrorFields,
    readonly status: number,
  ) {
    super(fields);
    this.code = fields.error === 'invalid_grant' ? 'invalid_grant' : 'oauth_error';
  }
}

/** The authorization server answered the redirect with `error` (e.g. `access_denied`). */
export class AuthorizationError extends OAuthFieldsError implements CallbackRefusal {
  readonly code = 'authorization_error';
  override name = 'AuthorizationError';
  declare readonly state: string | undefined;
  declare readonly appState: unknown;
}

/** A request took longer than the `timeout` option. */
export class TimeoutError extends GrantflowError {
  readonly code = 'timeout';
  readonly error = 'timeout';
  override name = 'TimeoutError';
}

/** The request never got an HTTP answer (offline, DNS, CORS, connection refused). */
export class NetworkError extends GrantflowError {
  readonly code = 'network_error';
  override name = 'NetworkError';
}

/** A response was not what the protocol requires; `status` is set when it came with one. */
export class InvalidResponseError extends GrantflowError {
  readonly code = 'invalid_response';
  override name = 'InvalidResponseError';
  /** As on `OAuthError`: the wait a token endpoint's 429 or 503 answer (say, an HTML 503 page) asked for. */
  declare readonly retryAfter: number | undefined;
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The storage adapter failed (threw or rejected); `cause` is what it threw. Nothing was changed. */
export class StorageError extends GrantflowError {
  readonly code = 'storage_error';
  override name = 'StorageError';
}

/** The ID token failed a claims check (issuer, audience, expiry, nonce, max_age, organization). */
export class IdTokenInvalidError extends GrantflowError {
  readonly code = 'id_token_invalid';
  override name = 'IdTokenInvalidError';
}

/**
 * The userinfo endpoint refused the request: any 401 or 403, and any other answer naming an RFC 6750
 * error (§3.1: `invalid_request` is a 400) in its `WWW-Authenticate` challenge or JSON body, which
 * `error` carries.
 */
export class UserInfoError extends GrantflowError {
  readonly code = 'userinfo_error';
  override name = 'UserInfoError';
  constructor(
    message: string,
    readonly status: number,
    readonly error: string | undefined,
  ) {
    super(message);
  }
}

/** The userinfo answer is about another user than the ID token (OIDC Core §5.3.2): none of it is used. */
export class SubjectMismatchError extends GrantflowError {
  readonly code = 'subject_mismatch';
  override name = 'SubjectMismatchError';
}

/** The browser did not open the sign-in popup (blocked, or not called inside a user's click). */
export class PopupBlockedError extends GrantflowError {
  readonly code = 'popup_blocked';
  override name = 'PopupBlockedError';
}

/** The user closed the sign-in popup before it came back, or a newer popup sign-in took its window over. */
export class PopupClosedError extends GrantflowError {
  readonly code = 'popup_closed';
  override name = 'PopupClosedError';
}

/**
 * An opt-in module needs what this runtime lacks (`hiddenIframe()` without a document: Node, a server
 * render): the app's setup to fix, which ends no session.
 */
export class UnsupportedEnvironmentError extends GrantflowError {
  readonly code = 'unsupported_environment';
  override name = 'UnsupportedEnvironmentError';
}

/** Transient failures (no answer, timeout, 5xx, 429) keep the session so a later call can retry. */
export function isRecoverable(error: unknown): boolean {
  if (error instanceof NetworkError || error instanceof TimeoutError) return true;
  const status = error instanceof OAuthError || error instanceof InvalidResponseError ? error.status : 0;
  return status !== undefined && (status >= 500 || status === 429);
}

/** Anything unexpected (a throwing `navigate`, say) still reaches the snapshot as a typed error, with its cause. */
export function asGrantflowError(error: unknown): GrantflowError {
  return error instanceof GrantflowError
    ? error
    : new InvalidResponseError(error instanceof Error ? error.message : String(error), undefined, {
        cause: error,
      });
}
