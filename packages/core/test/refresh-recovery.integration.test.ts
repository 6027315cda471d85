import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdp } from '@grantflow/dev-idp';
import { InvalidResponseError, NetworkError, TimeoutError } from '../src/errors.js';
import type { CacheContents } from '../src/token-cache.js';
import { login, proxiedTokenEndpoint, startIdp, testClient, type ProxyMode } from './support.js';

let idp: DevIdp;
let proxy: Awaited<ReturnType<typeof proxiedTokenEndpoint>>['proxy'];
let endpoints: { authorization: string; token: string };

beforeAll(async () => {
  idp = await startIdp();
  ({ proxy, endpoints } = await proxiedTokenEndpoint(idp));
});
afterAll(async () => {
  await proxy.close();
  await idp.close();
});

describe('a refresh that fails transiently', () => {
  it('keeps the refresh token and the session, then recovers with the same refresh token', async () => {
    proxy.mode = 'pass';
    const { client, navigations, storage, tokenRequests, expireTokens } = testClient(idp.issuer, {
      useRefreshTokens: true,
      endpoints,
      timeout: 2000,
    });
    await login(client, navigations);
    expect(tokenRequests.every((request) => request.url.startsWith(proxy.url))).toBe(true);
    const before = await storage.get('grantflow.grantflow-demo.session');
    const refreshToken = (JSON.parse(before!) as CacheContents).refresh_tokens[
      'https://api.grantflow.local/appointments'
    ];
    expireTokens();
    const { accessTokenExpiresAt, scope } = client.getSnapshot();
    expect(accessTokenExpiresAt).toEqual(expect.any(Number));

    const failures: Array<[ProxyMode, new (...args: never[]) => Error, string]> = [
      ['unreachable', NetworkError, 'network_error'],
      ['503', InvalidResponseError, 'invalid_response'],
      ['hang', TimeoutError, 'timeout'],
    ];
    for (const [mode, type, code] of failures) {
      proxy.mode = mode;
      const attempt = client.getAccessToken();
      await expect(attempt).rejects.toBeInstanceOf(type);
      await expect(attempt).rejects.toMatchObject(mode === '503' ? { code, status: 503 } : { code });
      expect(client.getSnapshot()).toMatchObject({
        // Still signed in, with the session's user, expiry and scopes: the failure is in `error`.
        status: 'authenticated',
        isAuthenticated: true,
        user: { email: 'alice@example.com' },
        accessTokenExpiresAt,
        scope,
      });
      expect(client.getSnapshot().error?.code).toBe(code);
      expect(await storage.get('grantflow.grantflow-demo.session')).toBe(before);
    }

    proxy.mode = 'pass';
    const token = await client.getAccessToken();
    expect(token).toEqual(expect.any(String));
    expect(tokenRequests.at(-1)!.params.get('refresh_token')).toBe(refreshToken);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
    client.destroy();
  });
});
