import { InvalidResponseError, SubjectMismatchError, UserInfoError } from './errors.js';
import { isObject, requestJson, sendWithProof, type HttpOptions } from './http.js';
import type { User } from './id-token.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

/** The RFC 6750 `error` of the Bearer (or DPoP) challenge, if the header carries one. */
function bearerError(header: string | null | undefined): string | undefined {
  return parseWwwAuthenticate(header).find((challenge) => /^(bearer|dpop)$/i.test(challenge.scheme))?.params
    .error;
}

/**
 * Checks a userinfo answer (OIDC Core §5.3.2-5.3.4): a JSON object whose `sub` is exactly the ID
 * token's, or a typed error; nothing is returned half-valid.
 */
export function processUserInfoResponse(
  answer: { status: number; body: unknown; challenge?: string | null | undefined },
  expectedSubject: string,
): User {
  const { status, body } = answer;
  if (status === 401 || status === 403) {
    const error = bearerError(answer.challenge) ?? (isObject(body) ? String(body.error ?? '') : '');
    throw new UserInfoError(`userinfo: HTTP ${status}`, status, error || undefined);
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

/** Calls the `userinfo_endpoint` with the access token (in the `Authorization` header) and checks the answer. */
export async function fetchUserInfo(
  endpoint: string,
  accessToken: string,
  expectedSubject: string,
  http?: HttpOptions,
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
          accept: 'application/json',
          ...proofHeaders,
        },
      },
      http,
    ),
  );
  return processUserInfoResponse(
    { ...response, challenge: response.headers.get('www-authenticate') },
    expectedSubject,
  );
}
