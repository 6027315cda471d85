import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DevIdp } from '@grantflow/dev-idp';
import { LoginRequiredError } from '../src/errors.js';
import { memoryStorage } from '../src/storage.js';
import { login, startIdp, testClient } from './support.js';

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp();
});
afterAll(() => idp.close());

const SESSION_KEY = 'grantflow.grantflow-demo.session';

/** Ends the grant at the server (RFC 7009), as an admin or a logout elsewhere would. */
async function revoke(refreshToken: string) {
  const discovery = await fetch(new URL('.well-known/openid-configuration', idp.issuer));
  const { revocation_endpoint } = (await discovery.json()) as { revocation_endpoint: string };
  const body = new URLSearchParams({ client_id: 'grantflow-demo', token: refreshToken });
  expect((await fetch(revocation_endpoint, { method: 'POST', body })).status).toBe(200);
}

it('a refresh token the server refuses on a first getAccessToken() (no checkSession) leaves storage, and is not sent again', async () => {
  const shared = memoryStorage();
  const first = testClient(idp.issuer, { storage: shared, useRefreshTokens: true });
  await login(first.client, first.navigations);
  first.client.destroy();
  const { refresh_tokens } = JSON.parse((await shared.get(SESSION_KEY))!) as {
    refresh_tokens: Record<string, string>;
  };
  await revoke(refresh_tokens['https://api.grantflow.local/appointments']!);

  // A new page or process over the same storage asks for a token before anything else.
  const second = testClient(idp.issuer, { storage: shared, useRefreshTokens: true });
  try {
    await expect(second.client.getAccessToken({ cacheMode: 'off' })).rejects.toBeInstanceOf(
      LoginRequiredError,
    );
    expect(second.tokenRequests).toHaveLength(1);
    expect(await shared.get(SESSION_KEY)).toBeUndefined();
    expect(second.client.getSnapshot()).toMatchObject({ status: 'unauthenticated', isAuthenticated: false });

    await expect(second.client.getAccessToken({ cacheMode: 'off' })).rejects.toThrow('not logged in');
    expect(second.tokenRequests).toHaveLength(1);
  } finally {
    second.client.destroy();
  }
});
