import { DEFAULT_AUDIENCE, issueTokens, type DevIdp } from '@grantflow/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidResponseError, SubjectMismatchError, UserInfoError } from '../src/errors.js';
import { discover } from '../src/discovery.js';
import { fetchUserInfo, processUserInfoResponse } from '../src/userinfo.js';
import { ALICE, startIdp } from './support.js';

describe('processUserInfoResponse', () => {
  it("returns the claims when sub is the ID token's", () => {
    expect(processUserInfoResponse({ status: 200, body: { sub: 'alice', name: 'A' } }, 'alice')).toEqual({
      sub: 'alice',
      name: 'A',
    });
  });

  it('refuses another user with SubjectMismatchError (OIDC Core §5.3.2)', () => {
    expect(() => processUserInfoResponse({ status: 200, body: { sub: 'mallory' } }, 'alice')).toThrow(
      SubjectMismatchError,
    );
  });

  it.each([
    [{ status: 200, body: { name: 'no sub' } }],
    [{ status: 200, body: { sub: 42 } }],
    [{ status: 200, body: ['sub'] }],
    [{ status: 200, body: undefined }],
    [{ status: 500, body: { sub: 'alice' } }],
  ])('refuses a malformed answer with InvalidResponseError: %j', (answer) => {
    expect(() => processUserInfoResponse(answer, 'alice')).toThrow(InvalidResponseError);
  });

  it('reads the RFC 6750 error from the Bearer challenge, not from a description', () => {
    const error = (() => {
      try {
        processUserInfoResponse(
          {
            status: 401,
            body: undefined,
            challenge:
              'Basic realm="a", Bearer realm="x", error_description="a, error=\\"insufficient_scope\\"", error="invalid_token"',
          },
          'alice',
        );
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UserInfoError);
    expect(error).toMatchObject({ code: 'userinfo_error', status: 401, error: 'invalid_token' });
  });
});

/** What `processUserInfoResponse` throws for an answer about `alice`. */
const refusal = (answer: { status: number; body: unknown; challenge?: string }) => {
  try {
    processUserInfoResponse(answer, 'alice');
  } catch (caught) {
    return caught;
  }
  throw new Error('accepted');
};

describe('processUserInfoResponse without a challenge', () => {
  it('takes the error from a JSON body, or has none', () => {
    expect(refusal({ status: 403, body: { error: 'insufficient_scope' } })).toMatchObject({
      status: 403,
      error: 'insufficient_scope',
      message: 'userinfo: HTTP 403',
    });
    for (const body of [{}, { error: '' }, 'invalid_token', undefined]) {
      const error = refusal({ status: 401, body });
      expect(error).toBeInstanceOf(UserInfoError);
      expect(error).toMatchObject({ status: 401, error: undefined });
    }
  });
});

describe('processUserInfoResponse of a refusal that names an error (RFC 6750 §3.1)', () => {
  it('is UserInfoError for a refusal of the request: invalid_request is a 400', () => {
    for (const answer of [
      { status: 400, body: undefined, challenge: 'Bearer error="invalid_request"' },
      { status: 400, body: { error: 'invalid_request' } },
      { status: 400, body: undefined, challenge: 'DPoP algs="ES256", error="invalid_request"' },
    ]) {
      const error = refusal(answer);
      expect(error).toBeInstanceOf(UserInfoError);
      expect(error).toMatchObject({ status: 400, error: 'invalid_request', message: 'userinfo: HTTP 400' });
    }
    expect(refusal({ status: 404, body: { error: 'not_found' } })).toMatchObject({
      code: 'userinfo_error',
      status: 404,
      error: 'not_found',
    });
  });

  it("is InvalidResponseError for the server's trouble (5xx, 429), whatever it names", () => {
    for (const answer of [
      { status: 500, body: { error: 'server_error' } },
      { status: 503, body: { error: 'temporarily_unavailable' } },
      { status: 429, body: { error: 'too_many_requests' } },
      { status: 503, body: undefined, challenge: 'Bearer error="temporarily_unavailable"' },
    ]) {
      expect(refusal(answer)).toBeInstanceOf(InvalidResponseError);
      expect(refusal(answer)).toMatchObject({ status: answer.status });
    }
  });

  it('is UserInfoError for any 401 or 403, also when nothing names an error', () => {
    for (const status of [401, 403]) {
      expect(refusal({ status, body: undefined })).toMatchObject({
        code: 'userinfo_error',
        status,
        error: undefined,
      });
    }
  });

  it('is InvalidResponseError with the status when nothing names one', () => {
    for (const answer of [
      { status: 400, body: undefined },
      { status: 400, body: { error: '' }, challenge: 'Bearer realm="api"' },
      { status: 503, body: 'server_error' },
    ]) {
      const error = refusal(answer);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error).toMatchObject({ status: answer.status });
    }
  });
});

describe('processUserInfoResponse of a signed JWT answer (application/jwt, OIDC Core §5.3.2)', () => {
  const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = (claims: object, header: object = { alg: 'RS256', kid: 'k1' }) =>
    `${segment(header)}.${segment(claims)}.c2lnbmF0dXJl`;
  const expected = { issuer: 'https://idp.example/', clientId: 'app' };
  const answer = (body: string, contentType = 'application/jwt') => ({ status: 200, body, contentType });
  const outcome = (body: string, contentType?: string, expectations = expected) => {
    try {
      return processUserInfoResponse(answer(body, contentType), 'alice', expectations);
    } catch (caught) {
      return caught;
    }
  };

  it("returns its claims when iss is the issuer, aud names the client and sub is the ID token's", () => {
    const claims = { iss: 'https://idp.example/', aud: ['api', 'app'], sub: 'alice', name: 'A' };
    expect(outcome(signed(claims))).toEqual(claims);
    expect(outcome(signed({ ...claims, aud: 'app' }), 'Application/JWT; charset=utf-8')).toEqual({
      ...claims,
      aud: 'app',
    });
  });

  it('checks only the sub when it names no iss or aud', () => {
    expect(outcome(signed({ sub: 'alice', email: 'a@example.com' }))).toEqual({
      sub: 'alice',
      email: 'a@example.com',
    });
    expect(outcome(signed({ sub: 'mallory' }))).toBeInstanceOf(SubjectMismatchError);
    expect(outcome(signed({ name: 'no sub' }))).toMatchObject({ message: 'userinfo: bad sub' });
  });

  it('refuses another issuer or audience with InvalidResponseError, also without expectations to compare', () => {
    const claims = { iss: 'https://idp.example/', aud: 'app', sub: 'alice' };
    for (const [body, message, expectations] of [
      [signed({ ...claims, iss: 'https://evil.example/' }), 'userinfo: bad iss', expected],
      [signed({ ...claims, iss: 'https://idp.example' }), 'userinfo: bad iss', expected],
      [signed({ ...claims, aud: ['other'] }), 'userinfo: bad aud', expected],
      [signed(claims), 'userinfo: bad iss', undefined],
      [signed({ aud: 'app', sub: 'alice' }), 'userinfo: bad aud', undefined],
    ] as const) {
      const check = () => processUserInfoResponse(answer(body), 'alice', expectations);
      expect(check).toThrow(InvalidResponseError);
      expect(check).toThrow(message);
    }
  });

  it('refuses an encrypted (five-part) JWT, which it cannot read, with a typed error saying so', () => {
    const error = outcome('eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn');
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({
      code: 'invalid_response',
      status: 200,
      message: 'userinfo: an encrypted JWT (JWE), not supported',
    });
  });

  it('refuses what is not a signed JWT', () => {
    for (const body of [
      'not a jwt',
      signed({ sub: 'alice' }, { alg: 'none' }),
      `${segment({ alg: 'RS256' })}.not-json.c2ln`,
      `${segment({ alg: 'RS256' })}.${segment({ sub: 'alice' })}`,
    ]) {
      expect(outcome(body)).toMatchObject({
        code: 'invalid_response',
        message: 'userinfo: not a signed JWT',
      });
    }
  });

  it('reads a JWT only when the answer says it is one', () => {
    expect(outcome(signed({ sub: 'alice' }), 'application/json')).toMatchObject({
      message: 'userinfo: HTTP 200, not a JSON object',
    });
    expect(outcome(signed({ sub: 'alice' }), 'application/jwt-like')).toBeInstanceOf(InvalidResponseError);
    expect(outcome(signed({ sub: 'alice' }), 'text/x-application/jwt')).toMatchObject({
      message: 'userinfo: HTTP 200, not a JSON object',
    });
  });

  it('keeps why a JWT could not be read as the cause', () => {
    expect(outcome(`${segment({ alg: 'RS256' })}.not-json.c2ln`)).toHaveProperty('cause', expect.any(Error));
  });
});

describe('processUserInfoResponse, in detail', () => {
  const outcome = (answer: { status: number; body: unknown; challenge?: string }) => {
    try {
      return processUserInfoResponse(answer, 'alice');
    } catch (caught) {
      return caught;
    }
  };

  it('reads the error only from a Bearer or DPoP challenge, else from the body', () => {
    const body = { error: 'invalid_token' };
    for (const challenge of [
      'Basic realm="x"',
      'XBearer error="insufficient_scope"',
      'Bearerx error="insufficient_scope"',
    ]) {
      expect(outcome({ status: 401, body, challenge })).toMatchObject({ error: 'invalid_token' });
    }
    expect(outcome({ status: 401, body, challenge: 'dpop error="insufficient_scope"' })).toMatchObject({
      error: 'insufficient_scope',
    });
  });

  it('says what is wrong with the answer', () => {
    expect(outcome({ status: 500, body: { sub: 'alice' } })).toMatchObject({ message: 'userinfo: HTTP 500' });
    expect(outcome({ status: 200, body: 'alice' })).toMatchObject({
      message: 'userinfo: HTTP 200, not a JSON object',
    });
    expect(outcome({ status: 200, body: { sub: '' } })).toMatchObject({
      code: 'invalid_response',
      message: 'userinfo: bad sub',
    });
    expect(outcome({ status: 200, body: { sub: 'mallory' } })).toMatchObject({
      code: 'subject_mismatch',
      message: "userinfo: sub is not the ID token's",
    });
  });
});

describe('fetchUserInfo', () => {
  it('asks for JSON or a signed JWT (both are read) with the Bearer token', async () => {
    const sent: Headers[] = [];
    const fetch = async (_url: string, init: RequestInit) => {
      sent.push(new Headers(init.headers));
      return Response.json({ sub: 'alice' });
    };
    await fetchUserInfo('https://idp.example/userinfo', 'at', 'alice', { fetch });
    expect(Object.fromEntries(sent[0]!)).toEqual({
      accept: 'application/json, application/jwt;q=0.9',
      authorization: 'Bearer at',
    });
  });
});

describe('fetchUserInfo of a signed answer', () => {
  it('reads the application/jwt body and checks it against the expectations', async () => {
    const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = { iss: 'https://idp.example/', aud: 'app', sub: 'alice' };
    const jwt = `${segment({ alg: 'ES256' })}.${segment(claims)}.c2ln`;
    const fetch = async () => new Response(jwt, { headers: { 'content-type': 'application/jwt' } });
    const expected = { issuer: 'https://idp.example/', clientId: 'app' };
    await expect(
      fetchUserInfo('https://idp.example/userinfo', 'at', 'alice', { fetch }, expected),
    ).resolves.toEqual(claims);
    await expect(
      fetchUserInfo('https://idp.example/userinfo', 'at', 'alice', { fetch }, { ...expected, clientId: 'b' }),
    ).rejects.toThrow('userinfo: bad aud');
  });
});

describe('fetchUserInfo with a proof-of-possession module', () => {
  it('sends the token with the proof scheme and the proof headers for this request', async () => {
    const seen: { url: string; headers: Headers }[] = [];
    const proof = {
      tokenType: 'DPoP',
      headers: async ({
        method,
        url,
        accessToken,
      }: {
        method: string;
        url: string;
        accessToken?: string;
      }) => ({
        dpop: `${method} ${url} ${accessToken}`,
      }),
      retry: () => false,
    };
    const fetch = async (url: string, init: RequestInit) => {
      seen.push({ url, headers: new Headers(init.headers) });
      return Response.json({ sub: 'alice' });
    };
    await fetchUserInfo('https://idp.test/userinfo', 'tok', 'alice', { fetch, proof });
    expect(seen[0]!.headers.get('authorization')).toBe('DPoP tok');
    expect(seen[0]!.headers.get('dpop')).toBe('GET https://idp.test/userinfo tok');
  });
});

describe('fetchUserInfo against the dev IdP', () => {
  let idp: DevIdp;
  let endpoint: string;
  beforeAll(async () => {
    idp = await startIdp();
    endpoint = String((await discover(idp.issuer)).userinfo_endpoint);
  });
  afterAll(() => idp.close());

  it('answers the profile for an API access token granted with openid', async () => {
    const { access_token } = await issueTokens(idp.issuer, ALICE, { audience: DEFAULT_AUDIENCE });
    expect(await fetchUserInfo(endpoint, access_token, 'alice')).toMatchObject({
      sub: 'alice',
      email: 'alice@example.com',
      name: 'Alice Example',
    });
  });

  it('refuses the answer when it is about another user than expected', async () => {
    const { access_token } = await issueTokens(idp.issuer, ALICE);
    await expect(fetchUserInfo(endpoint, access_token, 'bob')).rejects.toBeInstanceOf(SubjectMismatchError);
  });

  it('turns a refused token into UserInfoError with the status and RFC 6750 error', async () => {
    await expect(fetchUserInfo(endpoint, 'not-a-token', 'alice')).rejects.toMatchObject({
      code: 'userinfo_error',
      status: 401,
      error: 'invalid_token',
    });
  });
});
