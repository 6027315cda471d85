import { isStringArray } from './option-checks.js';

/**
 * Stable codes: callers `switch (err.code)` instead of matching messages. `invalid_request`,
 * `invalid_token` and `insufficient_scope` are RFC 6750 §3.1's; `invalid_dpop_proof` and
 * `use_dpop_nonce` are RFC 9449 §7.1's and §9's; `unauthorized` is a request that carried no
 * credentials at all; `temporarily_unavailable` is a DPoP request whose replay check could not run.
 */
export type AuthErrorCode =
  | 'unauthorized'
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'
  | 'temporarily_unavailable';

/** The JSON body every auth failure is answered with. */
export interface AuthErrorBody {
  error: AuthErrorCode;
  error_description: string;
}

/** Which challenges an answer offers, and which scheme the failed request used. */
export interface ChallengeOffer {
  bearer: boolean;
  /** `algs` of the `DPoP` challenge; `undefined` when DPoP is off. */
  dpopAlgs: string | undefined;
  scheme: 'Bearer' | 'DPoP';
}

const DEFAULT_REALM = 'api';
const BEARER_ONLY: ChallengeOffer = { bearer: true, dpopAlgs: undefined, scheme: 'Bearer' };

// Challenge parameters are quoted-strings; descriptions are restricted to RFC 6750's
// NQSCHAR set (printable ASCII minus `"` and `\`), so nothing a client sent can break the header.
const quoted = (value: string): string => value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '');
// The realm is the app's own text, a full quoted-string (RFC 9110 §5.6.4): `"` and `\` escaped, not dropped.
const quotedString = (value: string): string => value.replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '\\$&');

/**
 * Base class of every error this package produces. Carries the HTTP status, ready headers
 * (`WWW-Authenticate`, and `DPoP-Nonce` or `Retry-After` where they apply), and the JSON body;
 * `authErrorHandler()` writes exactly those.
 */
export abstract class AuthError extends Error {
  abstract readonly code: AuthErrorCode;
  abstract readonly status: 400 | 401 | 403 | 503;
  /** Scopes the resource needs (only set on `insufficient_scope`). */
  readonly scopes: readonly string[] | undefined = undefined;
  /** Protection space named in the challenge; set by `requireAuth({ realm })`. */
  realm = DEFAULT_REALM;
  /** URL of the API's RFC 9728 metadata, named in every challenge as `resource_metadata`. */
  resourceMetadata: string | undefined = undefined;
  /** Challenges offered; set by `requireAuth({ dpop })`. Default: Bearer only. */
  offer: ChallengeOffer = BEARER_ONLY;

  /**
   * `status` again, under the name express-oauth2-jwt-bearer's errors also carry it: error handlers
   * written for them read `err.statusCode`, and would answer 500 without it.
   */
  get statusCode(): this['status'] {
    return this.status;
  }

  /** The `WWW-Authenticate` value: the error goes on the scheme the request used, the others bare. */
  protected challenge(): string {
    let params = '';
    if (this.code !== 'unauthorized') {
      params = `error="${this.code}", error_description="${quoted(this.message)}"`;
      if (this.scopes) params += `, scope="${quoted(this.scopes.join(' '))}"`;
    }
    const metadata = this.resourceMetadata ? `, resource_metadata="${quoted(this.resourceMetadata)}"` : '';
    const { bearer, dpopAlgs, scheme } = this.offer;
    const onDpop = dpopAlgs !== undefined && (scheme === 'DPoP' || !bearer);
    const bearerChallenge =
      `Bearer realm="${quotedString(this.realm)}"` + (!onDpop && params ? `, ${params}` : '') + metadata;
    if (dpopAlgs === undefined) return bearerChallenge;
    const dpopChallenge = `DPoP algs="${dpopAlgs}"` + (onDpop && params ? `, ${params}` : '') + metadata;
    if (!bearer) return dpopChallenge;
    return onDpop ? `${dpopChallenge}, ${bearerChallenge}` : `${bearerChallenge}, ${dpopChallenge}`;
  }

  get headers(): Record<string, string> {
    return { 'WWW-Authenticate': this.challenge() };
  }

  toJSON(): AuthErrorBody {
    return { error: this.code, error_description: this.message };
  }
}

/**
 * No credentials (none at all, or another scheme such as `Basic`): a bare challenge. Also the base of
 * every refusal of a request's credentials, as in express-oauth2-jwt-bearer, whose users' handlers test
 * `instanceof UnauthorizedError`.
 */
export class UnauthorizedError extends AuthError {
  readonly code: Exclude<AuthErrorCode, 'temporarily_unavailable'> = 'unauthorized';
  readonly status: 400 | 401 | 403 = 401;
  override name = 'UnauthorizedError';
  constructor(message = 'Authentication required', options?: ErrorOptions) {
    super(message, options);
  }
}

/** Malformed request: empty token, credentials in several places, several `Authorization` headers. */
export class InvalidRequestError extends UnauthorizedError {
  override readonly code = 'invalid_request';
  override readonly status = 400;
  override name = 'InvalidRequestError';
  constructor(message = 'Invalid Request', options?: ErrorOptions) {
    super(message, options);
  }
}

/** The token is malformed, expired, not for us, or its signature does not verify. */
export class InvalidTokenError extends UnauthorizedError {
  override readonly code = 'invalid_token';
  override readonly status = 401;
  override name = 'InvalidTokenError';
  constructor(message = 'Invalid Token', options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * The token is valid but does not grant what this route needs. Takes `(message, scopes?)`, or
 * express-oauth2-jwt-bearer's `(scopes?, message?)`.
 */
export class InsufficientScopeError extends UnauthorizedError {
  override readonly code = 'insufficient_scope';
  override readonly status = 403;
  override name = 'InsufficientScopeError';
  override readonly scopes: readonly string[] | undefined;
  constructor(message: string, scopes?: readonly string[]);
  constructor(scopes?: readonly string[], message?: string);
  constructor(first?: string | readonly string[], second?: string | readonly string[]) {
    const libraryOrder = Array.isArray(first) || (first === undefined && typeof second === 'string');
    const [message, scopes] = libraryOrder ? [second, first] : [first, second];
    super(typeof message === 'string' ? message : 'Insufficient Scope');
    // Checked here, not when the challenge is written (a 500 by then).
    if (scopes !== undefined && !isStringArray(scopes)) {
      throw new TypeError('InsufficientScopeError: scopes must be an array of strings.');
    }
    this.scopes = scopes;
  }
}

/** The DPoP proof is missing, malformed, does not match the request or the token, or was replayed. */
export class InvalidDpopProofError extends UnauthorizedError {
  override readonly code = 'invalid_dpop_proof';
  override readonly status = 401;
  override name = 'InvalidDpopProofError';
  constructor(message = 'Invalid DPoP proof', options?: ErrorOptions) {
    super(message, options);
  }
}

/** The proof lacks a current server nonce; `nonce` is the one to use (sent as `DPoP-Nonce`). */
export class UseDpopNonceError extends UnauthorizedError {
  override readonly code = 'use_dpop_nonce';
  override readonly status = 401;
  override name = 'UseDpopNonceError';
  readonly nonce: string;
  constructor(nonce: string, message = 'Resource server requires nonce in DPoP proof') {
    super(message);
    // RFC 9449 §8: `nonce = 1*NQCHAR`; anything else could not go out as the `DPoP-Nonce` header.
    if (typeof nonce !== 'string' || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(nonce)) {
      throw new TypeError('UseDpopNonceError: nonce must be a non-empty string of RFC 9449 NQCHARs.');
    }
    this.nonce = nonce;
  }

  override get headers(): Record<string, string> {
    return { 'WWW-Authenticate': this.challenge(), 'DPoP-Nonce': this.nonce };
  }
}

/**
 * The DPoP replay store did not answer: the request is refused (fail closed) and may be retried
 * after `retryAfter` seconds.
 */
export class ReplayStoreUnavailableError extends AuthError {
  readonly code = 'temporarily_unavailable';
  readonly status = 503;
  override name = 'ReplayStoreUnavailableError';
  readonly retryAfter: number;
  constructor(retryAfter: number, options?: { cause?: unknown }) {
    super('DPoP replay check unavailable, retry later', options);
    // RFC 9110 §10.2.3: `Retry-After` in delay-seconds, a non-negative integer.
    if (!Number.isSafeInteger(retryAfter) || retryAfter < 0) {
      throw new TypeError('ReplayStoreUnavailableError: retryAfter must be a non-negative integer.');
    }
    this.retryAfter = retryAfter;
  }

  override get headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfter) };
  }
}
