import { describe, expect, it } from 'vitest';
import { IdTokenInvalidError } from '../src/index.js';
import { OFFLINE_ISSUER, OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const TOKEN = `${OFFLINE_ISSUER}token`;
const SESSION_KEY = 'grantflow.app.session';
const AUTH_TIME = OFFLINE_NOW / 1000 - 600;

const idToken = (claims: Record<string, unknown>) =>
  [{ alg: 'RS256' }, claims]
    .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
    .join('.') + '.sig';

/** An ID token the token endpoint issues on refresh: the stored one's user at the same issuer, plus `claims`. */
const refreshedIdToken = (claims: Record<string, unknown>) =>
  idToken({
    iss: OFFLINE_ISSUER,
    sub: 'u',
    aud: 'app',
    iat: OFFLINE_NOW / 1000,
    exp: OFFLINE_NOW / 1000 + 600,
    ...claims,
  });

/**
 * Signed in at page load with an ID token of these `original` claims and a fresh access token; the refresh
 * that `getAccessToken({ cacheMode: 'off' })` makes is answered with an ID token of the `refreshed` claims.
 */
async function refreshWith(original: Record<string, unknown>, refreshed: Record<string, unknown>) {
  const { client, storage } = offlineClient(
    {
      claims: original,
      refresh_tokens: { '': 'rt1' },
      tokens: { [OFFLINE_TOKEN_KEY]: { access_token: 'at1', expires_at: OFFLINE_NOW + 300_000 } },
    },
    () => Promise.reject(new TypeError('no other request expected')),
    {
      useRefreshTokens: true,
      fetch: async (url) => {
        if (url !== TOKEN) throw new TypeError(`unexpected request to ${url}`);
        return Response.json({
          access_token: 'at2',
          token_type: 'Bearer',
          expires_in: 600,
          refresh_token: 'rt2',
          id_token: refreshedIdToken(refreshed),
        });
      },
    },
  );
  await client.checkSession();
  const stored = await storage.get(SESSION_KEY);
  const outcome = await client.getAccessToken({ cacheMode: 'off' }).then(
    (token) => ({ token }),
    (error: unknown) => ({ error }),
  );
  return { client, storage, stored, outcome };
}

describe('a refreshed ID token is about the original authentication (OIDC Core §12.2)', () => {
  it.each([
    ['another audience', { aud: 'app' }, { aud: ['app', 'other'], azp: 'app' }, 'aud'],
    ['one audience less', { aud: ['app', 'other'], azp: 'app' }, { aud: 'app', azp: 'app' }, 'aud'],
    ['an azp the original had not', { aud: 'app' }, { aud: 'app', azp: 'app' }, 'azp'],
    ['no azp where the original had one', { aud: 'app', azp: 'app' }, { aud: 'app' }, 'azp'],
    ['another auth_time', { auth_time: AUTH_TIME }, { auth_time: AUTH_TIME + 5 }, 'auth_time'],
  ])(
    'refuses one with %s (id_token_invalid), keeping the session and writing nothing',
    async (_name, original, refreshed, claim) => {
      const { client, storage, stored, outcome } = await refreshWith(original, refreshed);
      expect(outcome).toEqual({ error: expect.any(IdTokenInvalidError) });
      expect((outcome as { error: IdTokenInvalidError }).error).toMatchObject({
        code: 'id_token_invalid',
        message: `refreshed id_token: ${claim} differs`,
      });
      expect(await storage.get(SESSION_KEY)).toBe(stored);
      expect(client.getSnapshot()).toMatchObject({
        status: 'authenticated',
        isAuthenticated: true,
        error: expect.any(IdTokenInvalidError),
      });
      client.destroy();
    },
  );

  it.each([
    [
      'the same audiences in another order',
      { aud: ['app', 'api'], azp: 'app' },
      { aud: ['api', 'app'], azp: 'app' },
    ],
    ['its one audience as a string or a one-element array', { aud: 'app' }, { aud: ['app'] }],
    [
      'the same azp and auth_time',
      { azp: 'app', auth_time: AUTH_TIME },
      { azp: 'app', auth_time: AUTH_TIME },
    ],
    ['no auth_time, where the original had one', { auth_time: AUTH_TIME }, {}],
    ['an auth_time, where the original had none', {}, { auth_time: AUTH_TIME }],
  ])('accepts one with %s, and stores it', async (_name, original, refreshed) => {
    const { client, storage, outcome } = await refreshWith(original, refreshed);
    expect(outcome).toEqual({ token: 'at2' });
    expect(JSON.parse(String(await storage.get(SESSION_KEY)))).toMatchObject({
      id_token: refreshedIdToken(refreshed),
      refresh_tokens: { '': 'rt2' },
    });
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
    client.destroy();
  });
});
