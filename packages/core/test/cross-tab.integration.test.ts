import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DevIdp } from '@grantflow/dev-idp';
import { memoryStorage } from '../src/storage.js';
import { login, startIdp, testClient } from './support.js';

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp();
});
afterAll(() => idp.close());

describe('two tabs of one app sharing storage', () => {
  it('follow each other: a login is picked up, a logout ends the other tab too', async () => {
    const shared = memoryStorage();
    const first = testClient(idp.issuer, { useRefreshTokens: true, storage: shared, crossTabSync: true });
    const second = testClient(idp.issuer, { useRefreshTokens: true, storage: shared, crossTabSync: true });
    try {
      await login(first.client, first.navigations);
      await vi.waitFor(() => expect(second.client.getSnapshot().status).toBe('authenticated'));
      expect(second.client.getSnapshot().user?.email).toBe('alice@example.com');

      await first.client.logout({ localOnly: true });
      await vi.waitFor(() => expect(second.client.getSnapshot().status).toBe('unauthenticated'));
      expect(second.client.getSnapshot().user).toBeUndefined();
    } finally {
      first.client.destroy();
      second.client.destroy();
    }
  });

  it('end together when one tab finds the refresh token revoked', async () => {
    const shared = memoryStorage();
    const first = testClient(idp.issuer, { useRefreshTokens: true, storage: shared, crossTabSync: true });
    const second = testClient(idp.issuer, { useRefreshTokens: true, storage: shared, crossTabSync: true });
    try {
      await login(first.client, first.navigations);
      await vi.waitFor(() => expect(second.client.getSnapshot().status).toBe('authenticated'));
      const { revocation_endpoint } = (await (
        await fetch(`${idp.issuer}/.well-known/openid-configuration`)
      ).json()) as { revocation_endpoint: string };
      const stored = JSON.parse((await shared.get('grantflow.grantflow-demo.session'))!) as {
        refresh_tokens: Record<string, string>;
      };
      await fetch(revocation_endpoint, {
        method: 'POST',
        body: new URLSearchParams({
          token: stored.refresh_tokens['https://api.grantflow.local/appointments']!,
          client_id: 'grantflow-demo',
        }),
      });

      first.expireTokens();
      await expect(first.client.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
      await vi.waitFor(() => expect(second.client.getSnapshot().status).toBe('unauthenticated'));
    } finally {
      first.client.destroy();
      second.client.destroy();
    }
  });
});
