import { CookieJar, DEFAULT_CLIENT, signIn, type DevIdp } from '@grantflow/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentAuthorization } from '../src/silent.js';
import { memoryStorage } from '../src/storage.js';
import { ALICE, startIdp, testClient } from './support.js';

const SESSION_KEY = 'grantflow.grantflow-demo.session';
const API = 'https://api.grantflow.local/appointments';

/**
 * A signed-in page whose IdP session is alive (one browser's cookies, reaching its later `prompt=none`
 * requests too) and whose refresh token was then revoked at the server (RFC 7009), as an admin, a
 * logout elsewhere or a reuse detection would.
 */
async function revokedRefreshToken(idp: DevIdp) {
  const jar = new CookieJar();
  const silentRequests: URL[] = [];
  const storage = memoryStorage();
  const page = testClient(idp.issuer, {
    storage,
    useRefreshTokens: true,
    silentAuthorization: silentAuthorization(async ({ url }) => {
      silentRequests.push(new URL(url));
      return (await signIn(url, ALICE, { jar })).href;
    }),
  });
  await page.client.loginWithRedirect();
  await page.client.handleRedirectCallback((await signIn(page.navigations.at(-1)!, ALICE, { jar })).href);
  const stored = () =>
    JSON.parse((storage.get(SESSION_KEY) as string | undefined) ?? 'null') as {
      refresh_tokens: Record<string, string>;
    } | null;
  const refused = stored()!.refresh_tokens[API]!;
  const discovery = await fetch(new URL('.well-known/openid-configuration', idp.issuer));
  const { revocation_endpoint } = (await discovery.json()) as { revocation_endpoint: string };
  const body = new URLSearchParams({ client_id: 'grantflow-demo', token: refused });
  expect((await fetch(revocation_endpoint, { method: 'POST', body })).status).toBe(200);
  page.expireTokens();
  return { ...page, silentRequests, stored, refused };
}

describe('a first-party app whose refresh token was revoked while the IdP session lives', () => {
  let idp: DevIdp;
  beforeAll(async () => {
    // Auth0's "first-party" application: a returning user is never asked for consent again.
    idp = await startIdp({ clients: [{ ...DEFAULT_CLIENT, skipConsent: true }] });
  });
  afterAll(() => idp.close());

  it('goes on with one silent authorization instead, and drops the revoked refresh token', async () => {
    const page = await revokedRefreshToken(idp);
    try {
      const token = await page.client.getAccessToken();
      expect(page.silentRequests).toHaveLength(1);
      expect(page.silentRequests[0]!.searchParams.get('prompt')).toBe('none');
      expect(page.client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
      expect(page.client.getSnapshot().user).toMatchObject({ email: ALICE.email });
      expect(Object.values(page.stored()!.refresh_tokens)).not.toContain(page.refused);
      // The refused refresh token was spent once, and is never sent again.
      const spent = page.tokenRequests.filter(
        (request) => request.params.get('refresh_token') === page.refused,
      );
      expect(spent).toHaveLength(1);
      await expect(page.client.getAccessToken()).resolves.toBe(token);
    } finally {
      page.client.destroy();
    }
  });
});

describe('an app whose refresh token was revoked together with the consent it held', () => {
  let idp: DevIdp;
  beforeAll(async () => {
    idp = await startIdp();
  });
  afterAll(() => idp.close());

  it('ends the session as without silent authorization when the silent try needs the user', async () => {
    const page = await revokedRefreshToken(idp);
    try {
      const attempt = page.client.getAccessToken();
      await expect(attempt).rejects.toMatchObject({
        code: 'login_required',
        cause: { code: 'invalid_grant' },
      });
      expect(page.silentRequests).toHaveLength(1);
      expect(page.stored()).toBeNull();
      expect(page.client.getSnapshot()).toMatchObject({ status: 'error', isAuthenticated: false });
    } finally {
      page.client.destroy();
    }
  });
});
