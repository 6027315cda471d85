import { describe, expect, it } from 'vitest';
import { InvalidResponseError, OAuthError } from '../src/errors.js';
import type { FetchLike, ProofOfPossession } from '../src/http.js';
import { exchangeCode, processTokenResponse, refreshTokens } from '../src/token-endpoint.js';

const ok = { access_token: 'at', token_type: 'Bearer', expires_in: 60 };

function recordingFetch(status: number, body: unknown) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  };
  return { calls, fetch };
}

describe('exchangeCode and refreshTokens', () => {
  it('POST the authorization_code grant as a form', async () => {
    const { calls, fetch } = recordingFetch(200, ok);
    await exchangeCode(
      'https://idp.example/token',
      { client_id: 'app', code: 'c', code_verifier: 'v', redirect_uri: 'https://app.example/cb' },
      { fetch },
    );
    const { url, init } = calls[0]!;
    expect(url).toBe('https://idp.example/token');
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(init.body as URLSearchParams)).toEqual({
      grant_type: 'authorization_code',
      client_id: 'app',
      code: 'c',
      code_verifier: 'v',
      redirect_uri: 'https://app.example/cb',
    });
  });

  it('POST the refresh_token grant, with a narrower scope only when asked', async () => {
    const { calls, fetch } = recordingFetch(200, ok);
    await refreshTokens('https://idp.example/token', { client_id: 'app', refresh_token: 'rt' }, { fetch });
    await refreshTokens(
      'https://idp.example/token',
      { client_id: 'app', refresh_token: 'rt', scope: 'openid' },
      { fetch },
    );
    expect(Object.fromEntries(calls[0]!.init.body as URLSearchParams)).toEqual({
      grant_type: 'refresh_token',
      client_id: 'app',
      refresh_token: 'rt',
    });
    expect((calls[1]!.init.body as URLSearchParams).get('scope')).toBe('openid');
  });

  it('turn an OAuth error body into an OAuthError with the status', async () => {
    const { fetch } = recordingFetch(400, {
      error: 'invalid_grant',
      error_description: 'Grant expired',
      error_uri: 'https://x',
    });
    const attempt = refreshTokens(
      'https://idp.example/token',
      { client_id: 'app', refresh_token: 'rt' },
      { fetch },
    );
    await expect(attempt).rejects.toBeInstanceOf(OAuthError);
    await expect(attempt).rejects.toMatchObject({
      code: 'invalid_grant',
      error: 'invalid_grant',
      error_description: 'Grant expired',
      error_uri: 'https://x',
      status: 400,
      message: 'Grant expired',
    });
  });
});

describe('processTokenResponse', () => {
  it('returns every field of a valid response', () => {
    expect(
      processTokenResponse(200, {
        ...ok,
        token_type: 'bearer',
        scope: 'openid',
        refresh_token: 'rt',
        id_token: 'a.b.c',
        extra: 1,
      }),
    ).toEqual({
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: 60,
      scope: 'openid',
      refresh_token: 'rt',
      id_token: 'a.b.c',
    });
    expect(
      processTokenResponse(200, { access_token: 'at', token_type: 'Bearer' }).expires_in,
    ).toBeUndefined();
  });

  it('gives other OAuth errors the oauth_error code', () => {
    expect(() => processTokenResponse(400, { error: 'invalid_client' })).toThrow(
      expect.objectContaining({ code: 'oauth_error', error: 'invalid_client', error_description: undefined }),
    );
  });

  it.each([
    ['no body', 200, undefined],
    ['an array', 200, [ok]],
    ['a 503 page', 503, '<h1>down</h1>'],
    ['an error status without an OAuth error', 500, { message: 'boom' }],
    ['a missing access_token', 200, { token_type: 'Bearer' }],
    ['an empty access_token', 200, { ...ok, access_token: '' }],
    ['a non-Bearer token_type', 200, { ...ok, token_type: 'DPoP' }],
    ['a missing token_type', 200, { access_token: 'at' }],
    ['a non-numeric expires_in', 200, { ...ok, expires_in: 'soon' }],
    ['an array token_type', 200, { ...ok, token_type: ['Bearer'] }],
    ['a negative expires_in', 200, { ...ok, expires_in: -1 }],
    ['a numeric refresh_token', 200, { ...ok, refresh_token: 1 }],
    ['an object id_token', 200, { ...ok, id_token: {} }],
    ['a numeric scope', 200, { ...ok, scope: 3 }],
    ['a hexadecimal expires_in', 200, { ...ok, expires_in: '0x10' }],
    ['an exponent expires_in', 200, { ...ok, expires_in: '1e3' }],
    ['a signed expires_in', 200, { ...ok, expires_in: '+60' }],
  ])('refuses %s with InvalidResponseError', (_name, status, body) => {
    expect(() => processTokenResponse(status, body)).toThrow(InvalidResponseError);
  });

  it('reads null or empty optional fields as absent, and a numeric-string expires_in as seconds', () => {
    expect(
      processTokenResponse(200, { ...ok, scope: '', refresh_token: null, id_token: '', expires_in: '60' }),
    ).toEqual({
      access_token: ok.access_token,
      token_type: 'Bearer',
      expires_in: 60,
      scope: undefined,
      refresh_token: undefined,
      id_token: undefined,
    });
  });

  it('keeps the status of an unusable error answer', () => {
    expect(() => processTokenResponse(503, undefined)).toThrow(expect.objectContaining({ status: 503 }));
  });
});

describe('token requests with a proof of possession', () => {
  const proofOf = (answersWithNonce: number) => {
    const sent: string[] = [];
    const proof: ProofOfPossession = {
      tokenType: 'DPoP',
      headers: async ({ method, url }) => {
        sent.push(`${method} ${url}`);
        return { DPoP: `proof-${sent.length}` };
      },
      retry: ({ status, body }) =>
        status === 400 && (body as { error?: string }).error === 'use_dpop_nonce' && answersWithNonce-- > 0,
    };
    return { proof, sent };
  };

  it('sends the proof header, retries once on use_dpop_nonce, and accepts token_type DPoP', async () => {
    const { proof, sent } = proofOf(5);
    const headers: (string | null)[] = [];
    const fetch: FetchLike = async (_url, init) => {
      headers.push(new Headers(init.headers).get('dpop'));
      return headers.length === 1
        ? Response.json({ error: 'use_dpop_nonce' }, { status: 400, headers: { 'DPoP-Nonce': 'n' } })
        : Response.json({ access_token: 'at', token_type: 'DPoP', expires_in: 60 });
    };
    const response = await refreshTokens(
      'https://idp.example/token',
      { client_id: 'app', refresh_token: 'rt' },
      { fetch, proof },
    );
    expect(response.token_type).toBe('DPoP');
    expect(headers).toEqual(['proof-1', 'proof-2']);
    expect(sent).toEqual(['POST https://idp.example/token', 'POST https://idp.example/token']);
  });

  it('retries at most once', async () => {
    const { proof } = proofOf(5);
    let requests = 0;
    const fetch: FetchLike = async () => {
      requests++;
      return Response.json({ error: 'use_dpop_nonce' }, { status: 400 });
    };
    await expect(
      exchangeCode(
        'https://idp.example/token',
        { client_id: 'app', code: 'c', code_verifier: 'v', redirect_uri: 'https://app.example/cb' },
        { fetch, proof },
      ),
    ).rejects.toMatchObject({ code: 'oauth_error', error: 'use_dpop_nonce' });
    expect(requests).toBe(2);
  });

  it('refuses token_type DPoP when no proof was sent, and accepts Bearer when one was', () => {
    const dpop = { access_token: 'at', token_type: 'DPoP' };
    expect(() => processTokenResponse(200, dpop)).toThrow(InvalidResponseError);
    expect(processTokenResponse(200, dpop, 'DPoP').token_type).toBe('DPoP');
    expect(processTokenResponse(200, { ...dpop, token_type: 'dpop' }, 'DPoP').token_type).toBe('DPoP');
    expect(processTokenResponse(200, { ...dpop, token_type: 'Bearer' }, 'DPoP').token_type).toBe('Bearer');
    expect(() => processTokenResponse(200, { ...dpop, token_type: 'Mac' }, 'DPoP')).toThrow(
      InvalidResponseError,
    );
  });
});
