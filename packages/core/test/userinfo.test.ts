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

describe('processUserInfoResponse without a challenge', () => {
  const refusal = (answer: { status: number; body: unknown }) => {
    try {
      processUserInfoResponse(answer, 'alice');
    } catch (caught) {
      return caught;
    }
    throw new Error('accepted');
  };

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
  it('asks for JSON with the Bearer token', async () => {
    const sent: Headers[] = [];
    const fetch = async (_url: string, init: RequestInit) => {
      sent.push(new Headers(init.headers));
      return Response.json({ sub: 'alice' });
    };
    await fetchUserInfo('https://idp.example/userinfo', 'at', 'alice', { fetch });
    expect(Object.fromEntries(sent[0]!)).toEqual({ accept: 'application/json', authorization: 'Bearer at' });
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
