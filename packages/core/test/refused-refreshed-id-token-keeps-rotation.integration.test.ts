import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DevIdp } from '@grantflow/dev-idp';
import { IdTokenInvalidError } from '../src/errors.js';
import type { CacheContents } from '../src/token-cache.js';
import { jwtPayload, login, startIdp, testClient } from './support.js';

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp();
});
afterAll(() => idp.close());

const SESSION_KEY = 'grantflow.grantflow-demo.session';
const AUDIENCE = 'https://api.grantflow.local/appointments';

/** The server's own ID token with `auth_time` moved on, as from a provider that broke OIDC Core §12.2. */
function withOtherAuthTime(idToken: string): string {
  const [header, , signature] = idToken.split('.');
  const claims = jwtPayload(idToken);
  const payload = { ...claims, auth_time: Number(claims.auth_time) + 1 };
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}

it('a refused refreshed ID token keeps the rotated refresh token, so the next refresh succeeds without reuse', async () => {
  const refused: Array<{ access_token: string; refresh_token: string }> = [];
  const refreshAnswers: number[] = [];
  const spent: Array<string | null> = [];
  let tamper = false;
  const { client, navigations, storage, expireTokens } = testClient(idp.issuer, {
    useRefreshTokens: true,
    fetch: async (url, init) => {
      const response = await fetch(url, init);
      const params = init.body instanceof URLSearchParams ? init.body : undefined;
      if (params?.get('grant_type') !== 'refresh_token') return response;
      spent.push(params.get('refresh_token'));
      refreshAnswers.push(response.status);
      if (!tamper || !response.ok) return response;
      tamper = false;
      const answer = (await response.json()) as Record<string, string>;
      refused.push({ access_token: answer.access_token!, refresh_token: answer.refresh_token! });
      return Response.json({ ...answer, id_token: withOtherAuthTime(answer.id_token!) });
    },
  });
  // max_age makes the server put auth_time in its ID tokens, so there is one to compare.
  await login(client, navigations, { authorizationParams: { max_age: 300 } });
  const signedIn = client.getSnapshot();
  expect(signedIn.idTokenClaims?.auth_time).toEqual(expect.any(Number));
  const before = JSON.parse((await storage.get(SESSION_KEY))!) as CacheContents;
  const handedOut = [await client.getAccessToken()];

  expireTokens();
  tamper = true;
  const refusal = client.getAccessToken();
  await expect(refusal).rejects.toBeInstanceOf(IdTokenInvalidError);
  await expect(refusal).rejects.toMatchObject({
    code: 'id_token_invalid',
    message: 'refreshed id_token: auth_time differs',
  });
  const [{ access_token: refusedAccessToken, refresh_token: rotated }] = refused as [
    (typeof refused)[number],
  ];
  expect(rotated).not.toBe(before.refresh_tokens[AUDIENCE]);
  // Only the rotated refresh token is stored; the ID token, claims and access tokens are the previous ones.
  expect(JSON.parse((await storage.get(SESSION_KEY))!)).toEqual({
    ...before,
    refresh_tokens: { ...before.refresh_tokens, [AUDIENCE]: rotated },
  });
  expect(client.getSnapshot()).toMatchObject({
    status: 'authenticated',
    isAuthenticated: true,
    idTokenClaims: signedIn.idTokenClaims,
    user: signedIn.user,
    accessTokenExpiresAt: signedIn.accessTokenExpiresAt,
    error: expect.any(IdTokenInvalidError),
  });
  await expect(client.getAccessToken({ cacheMode: 'cache-only' })).rejects.toMatchObject({
    code: 'login_required',
  });

  handedOut.push(await client.getAccessToken());
  expect(spent).toEqual([before.refresh_tokens[AUDIENCE], rotated]);
  // The server saw no reuse: both refreshes were answered with tokens, none with invalid_grant.
  expect(refreshAnswers).toEqual([200, 200]);
  expect(handedOut).not.toContain(refusedAccessToken);
  expect(handedOut[1]).toEqual(expect.any(String));
  expect(client.getSnapshot()).toMatchObject({
    status: 'authenticated',
    error: undefined,
    idTokenClaims: { sub: signedIn.idTokenClaims?.sub, auth_time: signedIn.idTokenClaims?.auth_time },
  });
  expect(await storage.get(SESSION_KEY)).not.toContain(refusedAccessToken);
  client.destroy();
}, 60_000);
