import { describe, expect, it } from 'vitest';
import { InvalidResponseError, OAuthError } from '../src/errors.js';
import type { FetchLike } from '../src/http.js';
import { exchangeCode, processTokenResponse } from '../src/token-endpoint.js';

const ok = { access_token: 'at', token_type: 'Bearer', expires_in: 60 };

describe('a token response refused', () => {
  it.each([
    ['access_token', { token_type: 'Bearer' }],
    ['access_token', { ...ok, access_token: 7 }],
    ['token_type', { ...ok, token_type: 'mac' }],
    ['expires_in', { ...ok, expires_in: 'soon' }],
    ['scope', { ...ok, scope: ['openid'] }],
    ['refresh_token', { ...ok, refresh_token: true }],
    ['id_token', { ...ok, id_token: 1 }],
  ])('names the bad field, %s, in the message', (field, body) => {
    expect(() => processTokenResponse(200, body)).toThrow(InvalidResponseError);
    expect(() => processTokenResponse(200, body)).toThrow(`token response: bad ${field}`);
  });

  it('names the status of an answer that is no JSON object', () => {
    expect(() => processTokenResponse(503, '<h1>down</h1>')).toThrow('token endpoint: HTTP 503');
  });

  it('refuses an expires_in that is no finite number of seconds', () => {
    for (const expires_in of [
      'Infinity',
      '1e999',
      Number.POSITIVE_INFINITY,
      -0.5,
      '-1',
      true,
      [],
      [60],
      {},
    ]) {
      expect(() => processTokenResponse(200, { ...ok, expires_in })).toThrow(
        'token response: bad expires_in',
      );
    }
  });

  it('reads a 200 answer as a success (RFC 6749 §5.1): one without a token is malformed, whatever error it names', () => {
    expect(() => processTokenResponse(200, { error: 'invalid_grant' })).toThrow(InvalidResponseError);
  });
});

describe('a token response accepted', () => {
  it('keeps expires_in 0 as zero seconds and reads a null expires_in as absent', () => {
    expect(processTokenResponse(200, { ...ok, expires_in: 0 }).expires_in).toBe(0);
    expect(processTokenResponse(200, { ...ok, expires_in: '0' }).expires_in).toBe(0);
    expect(processTokenResponse(200, { ...ok, expires_in: null }).expires_in).toBeUndefined();
    expect(processTokenResponse(200, { ...ok, expires_in: ' ' }).expires_in).toBeUndefined();
  });

  it('turns any error status with an OAuth error body into OAuthError, keeping only string fields', () => {
    for (const status of [400, 401, 500]) {
      const body = { error: 'invalid_client', error_description: 5, error_uri: {} };
      expect(() => processTokenResponse(status, body)).toThrow(OAuthError);
      expect(() => processTokenResponse(status, body)).toThrow(
        expect.objectContaining({
          status,
          error: 'invalid_client',
          error_description: undefined,
          error_uri: undefined,
          message: 'invalid_client',
        }),
      );
    }
  });

  it('is asked for as JSON', async () => {
    let accept: string | null = null;
    const fetch: FetchLike = async (_url, init) => {
      accept = new Headers(init.headers).get('accept');
      return Response.json(ok);
    };
    const grant = { client_id: 'app', code: 'c', code_verifier: 'v', redirect_uri: 'https://app.example/cb' };
    await exchangeCode('https://idp.example/token', grant, { fetch });
    expect(accept).toBe('application/json');
  });
});
