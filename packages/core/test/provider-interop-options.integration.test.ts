import { DEFAULT_AUDIENCE, type DevIdp } from '@grantflow/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtPayload, login, startIdp, testClient } from './support.js';

const BOB = { email: 'bob@example.com', password: 'bob-password' };
const RETURN_TO = 'http://localhost:5999/';

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp({ postLogoutRedirectUris: [RETURN_TO] });
});
afterAll(() => idp.close());

describe('idTokenHintOnLogout against the dev IdP (RP-Initiated Logout 1.0 §2)', () => {
  it('sends an id_token_hint the server validates: its logout page answers, where a forged hint is refused', async () => {
    const { client, navigations } = testClient(idp.issuer, { idTokenHintOnLogout: true });
    await login(client, navigations);
    await client.logout({ returnTo: RETURN_TO });
    const leaving = new URL(navigations.at(-1)!);
    const hint = leaving.searchParams.get('id_token_hint')!;
    expect(hint.split('.')).toHaveLength(3);
    expect((await fetch(leaving, { redirect: 'manual' })).status).toBe(200);

    const [header, payload] = hint.split('.');
    leaving.searchParams.set('id_token_hint', `${header}.${payload}.${'A'.repeat(342)}`);
    expect((await fetch(leaving, { redirect: 'manual' })).status).toBe(400);
  });
});

describe('refreshWithScope against the dev IdP', () => {
  it('names the granted part of the default scope on every refresh, and the server renews with it', async () => {
    const { client, navigations, tokenRequests, expireTokens } = testClient(idp.issuer, {
      useRefreshTokens: true,
      refreshWithScope: true,
      scope: 'openid profile email read:appointments write:appointments',
    });
    // Bob may only read: the server grants him no write:appointments, so no refresh asks for it again.
    await login(client, navigations, {}, BOB);
    for (let refresh = 0; refresh < 2; refresh++) {
      expireTokens();
      await expect(client.getAccessToken()).resolves.toEqual(expect.any(String));
    }
    const refreshes = tokenRequests.filter(({ params }) => params.get('grant_type') === 'refresh_token');
    expect(refreshes.map(({ params }) => params.get('scope'))).toEqual([
      'openid profile email read:appointments offline_access',
      'openid profile email read:appointments offline_access',
    ]);
    expect(client.getSnapshot()).toMatchObject({ isAuthenticated: true, scope: 'read:appointments' });
    client.destroy();
  });
});

describe('resource: the API named with RFC 8707 resource indicators, against the dev IdP', () => {
  it('asks for the API as `resource` at authorize, code exchange and refresh, never as `audience`, and gets tokens for it', async () => {
    const { client, navigations, tokenRequests, expireTokens } = testClient(idp.issuer, {
      audience: undefined,
      resource: DEFAULT_AUDIENCE,
      useRefreshTokens: true,
    });
    await login(client, navigations);
    const authorize = new URL(navigations[0]!).searchParams;
    expect(authorize.get('resource')).toBe(DEFAULT_AUDIENCE);
    expect(authorize.has('audience')).toBe(false);
    expect(jwtPayload(await client.getAccessToken()).aud).toBe(DEFAULT_AUDIENCE);

    expireTokens();
    expect(jwtPayload(await client.getAccessToken()).aud).toBe(DEFAULT_AUDIENCE);
    expect(
      tokenRequests.map(({ params }) => [
        params.get('grant_type'),
        params.get('resource'),
        params.get('audience'),
      ]),
    ).toEqual([
      ['authorization_code', DEFAULT_AUDIENCE, null],
      ['refresh_token', DEFAULT_AUDIENCE, null],
    ]);
    client.destroy();
  });
});
