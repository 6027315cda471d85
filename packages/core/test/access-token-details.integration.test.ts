import type { DevIdp } from '@grantflow/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimeoutError } from '../src/errors.js';
import { jwtPayload, login, startIdp, startProxy, testClient } from './support.js';

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp();
});
afterAll(() => idp.close());

describe('getAccessToken({ detailedResponse: true })', () => {
  it('gives access_token, id_token, expires_in, scope and token_type', async () => {
    const { client, navigations } = testClient(idp.issuer);
    await login(client, navigations);
    const details = await client.getAccessToken({ detailedResponse: true });
    expect(details).toEqual({
      access_token: await client.getAccessToken(),
      id_token: expect.any(String),
      expires_in: expect.any(Number),
      scope: 'read:appointments',
      token_type: 'Bearer',
    });
    expect(details.expires_in).toBeGreaterThan(80);
    expect(details.expires_in).toBeLessThanOrEqual(90);
    expect(jwtPayload(details.id_token!).sub).toBe('alice');
    client.destroy();
  });
});

describe('getAccessToken({ timeoutInSeconds })', () => {
  it('gives up with TimeoutError and keeps the session', async () => {
    const proxy = await startProxy(idp.issuer);
    const metadata = (await (await fetch(`${idp.issuer}.well-known/openid-configuration`)).json()) as Record<
      string,
      string
    >;
    const { client, navigations, storage, expireTokens } = testClient(idp.issuer, {
      useRefreshTokens: true,
      endpoints: {
        authorization: metadata.authorization_endpoint!,
        token: `${proxy.url}/oauth/token`,
      },
    });
    await login(client, navigations);
    const stored = await storage.get('grantflow.grantflow-demo.session');
    expireTokens();
    proxy.mode = 'hang';
    await expect(client.getAccessToken({ timeoutInSeconds: 0.5 })).rejects.toBeInstanceOf(TimeoutError);
    expect(client.getSnapshot().isAuthenticated).toBe(true);
    expect(await storage.get('grantflow.grantflow-demo.session')).toBe(stored);
    client.destroy();
    await proxy.close();
  });

  it('refuses a bad timeout with TypeError', async () => {
    const { client } = testClient(idp.issuer);
    await expect(client.getAccessToken({ timeoutInSeconds: -1 })).rejects.toBeInstanceOf(TypeError);
    client.destroy();
  });
});
