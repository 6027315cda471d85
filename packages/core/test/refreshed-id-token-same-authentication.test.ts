import { describe, expect, it } from 'vitest';
import { IdTokenInvalidError } from '../src/index.js';
import { OFFLINE_ISSUER, OFFLINE_NOW, offlineRefreshing } from './support.js';

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
 * Signed in at page load with an ID token of these `original` claims, a fresh access token and refresh
 * token `rt1`; the refresh that `getAccessToken({ cacheMode: 'off' })` makes is answered with `at2`,
 * `rt2` (unless `rotates` is false) and an ID token of the `refreshed` claims.
 */
async function refreshWith(
  original: Record<string, unknown>,
  refreshed: Record<string, unknown>,
  { rotates = true } = {},
) {
  const { client, storage, spent } = offlineRefreshing(original, () =>
    Response.json({
      access_token: 'at2',
      token_type: 'Bearer',
      expires_in: 600,
      ...(rotates && { refresh_token: 'rt2' }),
      id_token: refreshedIdToken(refreshed),
    }),
  );
  await client.checkSession();
  expect(spent).toEqual([]);
  const stored = JSON.parse(String(await storage.get(SESSION_KEY))) as Record<string, unknown>;
  const signedIn = client.getSnapshot();
  const outcome = await client.getAccessToken({ cacheMode: 'off' }).then(
    (token) => ({ token }),
    (error: unknown) => ({ error }),
  );
  return { client, storage, stored, signedIn, outcome, spent };
}

/** A refused refresh: the session shows what it did before, and the error; `at2` is nowhere. */
async function expectKeptSession(
  { client, storage, stored, signedIn }: Awaited<ReturnType<typeof refreshWith>>,
  refreshToken: string,
) {
  expect(JSON.parse(String(await storage.get(SESSION_KEY)))).toEqual({
    ...stored,
    refresh_tokens: { '': refreshToken },
  });
  expect(client.getSnapshot()).toMatchObject({
    status: 'authenticated',
    isAuthenticated: true,
    user: signedIn.user,
    idTokenClaims: signedIn.idTokenClaims,
    accessTokenExpiresAt: signedIn.accessTokenExpiresAt,
    error: expect.any(IdTokenInvalidError),
  });
  expect(await client.getAccessToken()).toBe('at1');
}

describe('a refreshed ID token is about the original authentication (OIDC Core §12.2)', () => {
  it.each([
    ['another audience', { aud: 'app' }, { aud: ['app', 'other'], azp: 'app' }, 'aud'],
    ['one audience less', { aud: ['app', 'other'], azp: 'app' }, { aud: 'app', azp: 'app' }, 'aud'],
    ['an azp the original had not', { aud: 'app' }, { aud: 'app', azp: 'app' }, 'azp'],
    ['no azp where the original had one', { aud: 'app', azp: 'app' }, { aud: 'app' }, 'azp'],
    ['another auth_time', { auth_time: AUTH_TIME }, { auth_time: AUTH_TIME + 5 }, 'auth_time'],
  ])(
    'refuses one with %s (id_token_invalid), keeping the session and storing only the rotated refresh token',
    async (_name, original, refreshed, claim) => {
      const refresh = await refreshWith(original, refreshed);
      expect(refresh.outcome).toEqual({ error: expect.any(IdTokenInvalidError) });
      expect((refresh.outcome as { error: IdTokenInvalidError }).error).toMatchObject({
        code: 'id_token_invalid',
        message: `refreshed id_token: ${claim} differs`,
      });
      await expectKeptSession(refresh, 'rt2');
      // The next refresh spends the rotated token, not the one the server already took back.
      await refresh.client.getAccessToken({ cacheMode: 'off' }).catch(() => undefined);
      expect(refresh.spent).toEqual(['rt1', 'rt2']);
      refresh.client.destroy();
    },
  );

  it('refuses one from another organization when the session knows it by name only (no org_id)', async () => {
    const refresh = await refreshWith({ org_name: 'acme' }, { org_name: 'globex' });
    expect(refresh.outcome).toEqual({
      error: expect.objectContaining({ code: 'id_token_invalid', message: 'ID token: bad org_name' }),
    });
    await expectKeptSession(refresh, 'rt2');
    refresh.client.destroy();
    const same = await refreshWith({ org_name: 'acme' }, { org_name: 'ACME' });
    expect(same.outcome).toEqual({ token: 'at2' });
    same.client.destroy();
  });

  it('refuses one that fails a claims check (expired), also keeping the rotated refresh token', async () => {
    const refresh = await refreshWith({}, { exp: OFFLINE_NOW / 1000 - 3600 });
    expect(refresh.outcome).toEqual({
      error: expect.objectContaining({ code: 'id_token_invalid', message: 'ID token: bad exp' }),
    });
    await expectKeptSession(refresh, 'rt2');
    refresh.client.destroy();
  });

  it('refuses one from an answer without a refresh token, keeping the one stored', async () => {
    const refresh = await refreshWith(
      { auth_time: AUTH_TIME },
      { auth_time: AUTH_TIME + 5 },
      { rotates: false },
    );
    expect(refresh.outcome).toEqual({ error: expect.any(IdTokenInvalidError) });
    await expectKeptSession(refresh, 'rt1');
    refresh.client.destroy();
  });

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
    ['the same nonce (as Keycloak sends it)', { nonce: 'n1' }, { nonce: 'n1' }],
    ['no nonce, where the original had one', { nonce: 'n1' }, {}],
    // Refresh tokens are kept per API, each from its own sign-in: the one spent may carry that sign-in's
    // nonce (oidc-provider sends it) while the stored claims are the latest sign-in's.
    ['the nonce of another sign-in of the same user', { nonce: 'n2' }, { nonce: 'n1' }],
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
