import { InvalidResponseError, OAuthError } from './errors.js';
import { MfaRequiredError, type MfaRequirements } from './mfa.js';
import {
  expectJsonObject,
  isObject,
  requestJson,
  retryAfter,
  sendWithProof,
  type HttpOptions,
} from './http.js';

/** A validated token endpoint success response (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
export interface TokenResponse {
  access_token: string;
  /** `Bearer`, or the proof's token type (`DPoP`) when the request carried a proof. */
  token_type: string;
  /** Seconds; `undefined` when the server did not say (the token then serves until an API refuses it). */
  expires_in: number | undefined;
  scope: string | undefined;
  refresh_token: string | undefined;
  id_token: string | undefined;
}

export interface CodeExchange {
  client_id: string;
  code: string;
  code_verifier: string;
  redirect_uri: string;
  /** RFC 8707: the API the access token is for. */
  resource?: string | undefined;
}

export interface RefreshGrant {
  client_id: string;
  refresh_token: string;
  /** A narrower scope than the one originally granted. */
  scope?: string | undefined;
  /** Auth0: the API the new access token is for. */
  audience?: string | undefined;
  /** RFC 8707: the API the new access token is for. */
  resource?: string | undefined;
}

/** `grant_type=authorization_code` with the PKCE verifier. */
export const exchangeCode = (endpoint: string, grant: CodeExchange, http?: HttpOptions) =>
  postToken(endpoint, { grant_type: 'authorization_code', ...grant }, http);

/** `grant_type=refresh_token`; with rotation the response carries the next refresh token. */
export const refreshTokens = (endpoint: string, grant: RefreshGrant, http?: HttpOptions) =>
  postToken(endpoint, { grant_type: 'refresh_token', ...grant }, http);

async function postToken(
  endpoint: string,
  params: Record<string, string | undefined>,
  http: HttpOptions = {},
): Promise<TokenResponse> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) body.set(name, value);
  const { proof, now = Date.now } = http;
  // A proof the server refused for a reason it names (a `use_dpop_nonce` error) is tried once more.
  const answer = await sendWithProof(proof, { method: 'POST', url: endpoint }, (proofHeaders) =>
    requestJson(
      endpoint,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          ...proofHeaders,
        },
        body,
      },
      http,
    ),
  );
  try {
    return processTokenResponse(answer.status, answer.body, proof?.tokenType);
  } catch (error) {
    const { body } = answer;
    if (
      answer.status === 200 &&
      isObject(body) &&
      typeof body.refresh_token === 'string' &&
      body.refresh_token
    ) {
      refreshTokensOfRefused.set(error as object, body.refresh_token);
    }
    // A rate limit or overload (RFC 6585 §4, RFC 9110 §15.6.4): the wait it asks for goes with its error.
    throw Object.assign(error as Error, { retryAfter: retryAfter(answer.status, answer.headers, now()) });
  }
}

/** Refused answers' refresh tokens, beside their errors rather than on them: a logged error shows no token. */
const refreshTokensOfRefused = new WeakMap<object, string>();

/**
 * The refresh token carried by a success answer refused with `error` (malformed otherwise), if any: with
 * rotation the server has already taken the old one back (RFC 9700 §4.14.2).
 */
export const refreshTokenAnswered = (error: unknown): string | undefined =>
  isObject(error) ? refreshTokensOfRefused.get(error) : undefined;

const bad = (name: string): never => {
  throw new InvalidResponseError(`token response: bad ${name}`);
};

// Some servers send `null` or "" for a field they have nothing for (an empty `scope`, say): that is absence.
const optionalString = (body: Record<string, unknown>, name: string): string | undefined => {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : bad(name);
};

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

// Untrusted: each list keeps only its entries with a string `type`; anything else is left out.
const factors = (value: unknown) =>
  Array.isArray(value)
    ? value.flatMap((entry) =>
        isObject(entry) && typeof entry.type === 'string' ? [{ type: entry.type }] : [],
      )
    : undefined;

function mfaRequirements(value: unknown): MfaRequirements | undefined {
  if (!isObject(value)) return undefined;
  const enroll = factors(value.enroll);
  const challenge = factors(value.challenge);
  return { ...(enroll && { enroll }), ...(challenge && { challenge }) };
}

/**
 * Turns a token endpoint answer into a `TokenResponse` or throws: `OAuthError` for an OAuth error body
 * (`MfaRequiredError` for Auth0's `mfa_required`),
 * `InvalidResponseError` for anything malformed. Nothing is returned half-valid.
 */
export function processTokenResponse(status: number, body: unknown, proofType?: string): TokenResponse {
  if (status !== 200 && isObject(body) && typeof body.error === 'string') {
    const fields = {
      error: body.error,
      error_description: text(body.error_description),
      error_uri: text(body.error_uri),
    };
    throw body.error === 'mfa_required'
      ? new MfaRequiredError(fields, status, {
          mfa_token: text(body.mfa_token) || undefined,
          mfa_requirements: mfaRequirements(body.mfa_requirements),
        })
      : new OAuthError(fields, status);
  }
  const json = expectJsonObject(status, body, 'token endpoint');
  const access_token = optionalString(json, 'access_token') ?? bad('access_token');
  // RFC 6749 §5.1: the type is case-insensitive. Bearer, or the proof's type only when a proof was sent.
  const type = typeof json.token_type === 'string' ? json.token_type.toLowerCase() : undefined;
  const token_type =
    type === 'bearer' ? 'Bearer' : proofType && type === proofType.toLowerCase() ? proofType : undefined;
  if (!token_type) bad('token_type');
  // A number of seconds; some servers send it as a string of decimal digits (not `0x10` or `1e3`, which
  // `Number` would read). Absent, like the other fields, when empty.
  const raw: unknown = json.expires_in;
  const written = typeof raw === 'string' ? raw.trim() : undefined;
  const expires_in =
    raw === undefined || raw === null || written === ''
      ? undefined
      : typeof raw === 'number'
        ? raw
        : written !== undefined && /^\d+$/.test(written)
          ? Number(written)
          : NaN;
  if (expires_in !== undefined && !(Number.isFinite(expires_in) && expires_in >= 0)) bad('expires_in');
  return {
    access_token,
    token_type: token_type as string,
    expires_in,
    scope: optionalString(json, 'scope'),
    refresh_token: optionalString(json, 'refresh_token'),
    id_token: optionalString(json, 'id_token'),
  };
}
