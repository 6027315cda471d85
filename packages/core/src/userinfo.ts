import { InvalidResponseError, SubjectMismatchError, UserInfoError } from './errors.js';
import { isObject, requestJson, sendWithProof, type HttpOptions } from './http.js';
import { decodeJwt, type User } from './id-token.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

/** The RFC 6750 `error` of the Bearer (or DPoP) challenge, if the header carries one. */
function bearerError(header: string | null | undefined): string | undefined {
  return parseWwwAuthenticate(header).find((challenge) => /^(bearer|dpop)$/i.test(challenge.scheme))?.params
    .error;
}

/** Who a signed userinfo answer (a JWT) must come from and be for, when it names them (OIDC Core §5.3.2). */
export interface UserInfoExpectations {
  issuer: string;
  clientId: string;
}

export interface UserInfoAnswer {
  status: number;
  /** The JSON body; for an `application/jwt` answer, the JWT's text. */
  body: unknown;
  challenge?: string | null | undefined;
  contentType?: string | null | undefined;
}

/**
 * The claims of an `application/jwt` answer. The signature is not verified, as oidc-client-ts does not:
 * the answer came over TLS from the endpoint itself, in reply to our access token. `iss` and `aud`, which
 * a signed answer should carry, must name the issuer and this client when present.
 */
function jwtClaims(jwt: unknown, expected: UserInfoExpectations | undefined): Record<string, unknown> {
  const bad = (what: string, cause?: unknown): never => {
    throw new InvalidResponseError(`userinfo: ${what}`, 200, { cause });
  };
  const text = String(jwt);
  if (text.split('.').length === 5) bad('an encrypted JWT (JWE), not supported');
  let claims: Record<string, unknown> = {};
  try {
    claims = decodeJwt(text);
  } catch (error) {
    bad('not a signed JWT', error);
  }
  const { iss, aud } = claims;
  if (iss !== undefined && iss !== expected?.issuer) bad('bad iss');
  if (aud !== undefined && !(expected && [aud].flat().includes(expected.clientId))) bad('bad aud');
  return claims;
}

/**
 * Checks a userinfo answer (OIDC Core §5.3.2-5.3.4): a JSON object, or a signed JWT's claims
 * (`application/jwt`), whose `sub` is exactly the ID token's; or a typed error, nothing half-valid. A
 * signed answer's `iss` and `aud` are compared with `expected` (an answer naming them fails without it).
 */
export function processUserInfoResponse(
  answer: UserInfoAnswer,
  expectedSubject: string,
  expected?: UserInfoExpectations,
): User {
  const { status } = answer;
  let { body } = answer;
  if (status !== 200) {
    // A refusal of the request naming an RFC 6750 error (`invalid_request` is a 400, §3.1), and every
    // 401/403. A 5xx or 429 is the server's trouble, not the token's or the request's, whatever it names.
    const error = bearerError(answer.challenge) ?? (isObject(body) ? String(body.error ?? '') : '');
    if ((error && status < 500 && status !== 429) || status === 401 || status === 403) {
      throw new UserInfoError(`userinfo: HTTP ${status}`, status, error || undefined);
    }
  } else if (/^application\/jwt\s*(;|$)/i.test(answer.contentType ?? '')) {
    body = jwtClaims(body, expected);
  }
  if (status !== 200 || !isObject(body)) {
    throw new InvalidResponseError(
      `userinfo: HTTP ${status}${isObject(body) ? '' : ', not a JSON object'}`,
      status,
    );
  }
  if (typeof body.sub !== 'string' || body.sub === '')
    throw new InvalidResponseError('userinfo: bad sub', status);
  if (body.sub !== expectedSubject) {
    throw new SubjectMismatchError("userinfo: sub is not the ID token's");
  }
  return body as User;
}

/**
 * Calls the `userinfo_endpoint` with the access token (in the `Authorization` header) and checks the
 * answer; `expected` checks a signed answer's `iss` and `aud`.
 */
export async function fetchUserInfo(
  endpoint: string,
  accessToken: string,
  expectedSubject: string,
  http?: HttpOptions,
  expected?: UserInfoExpectations,
): Promise<User> {
  // A proof-of-possession token goes with its scheme and a proof for this request (RFC 9449 §7).
  // The userinfo endpoint is a resource server: a `use_dpop_nonce` answer is followed once (§9).
  const proof = http?.proof;
  const response = await sendWithProof(proof, { method: 'GET', url: endpoint, accessToken }, (proofHeaders) =>
    requestJson(
      endpoint,
      {
        method: 'GET',
        headers: {
          authorization: `${proof?.tokenType ?? 'Bearer'} ${accessToken}`,
          // OIDC Core §5.3.2: JSON, or a JWT for a client registered for signed answers (read too);
          // JSON preferred, as the format follows the registration, not this header.
          accept: 'application/json, application/jwt;q=0.9',
          ...proofHeaders,
        },
      },
      http,
    ),
  );
  const { headers } = response;
  const contentType = headers.get('content-type');
  return processUserInfoResponse(
    {
      status: response.status,
      // A JWT is no JSON: its text is the body.
      body: response.body ?? response.text,
      challenge: headers.get('www-authenticate'),
      contentType,
    },
    expectedSubject,
    expected,
  );
}
