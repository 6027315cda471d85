import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdp } from '@grantflow/dev-idp';
import { jwtPayload, login, startIdp, testClient } from './support.js';

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp();
});
afterAll(() => idp.close());

describe('a login that asks for an API scope only (no openid) at a real OpenID Provider', () => {
  it('sends no nonce (it binds ID tokens only) and gets the access token, signing nobody in', async () => {
    const { client, navigations } = testClient(idp.issuer, { scope: 'read:appointments' });
    await login(client, navigations);
    const authorize = new URL(navigations[0]!);
    expect(authorize.searchParams.get('scope')).toBe('read:appointments');
    expect(authorize.searchParams.has('nonce')).toBe(false);
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: undefined });
    expect(jwtPayload(await client.getAccessToken()).scope).toBe('read:appointments');
    client.destroy();
  });

  it('still sends a nonce whenever openid is asked for', async () => {
    const { client, navigations } = testClient(idp.issuer);
    await login(client, navigations);
    expect(new URL(navigations[0]!).searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(client.getSnapshot().isAuthenticated).toBe(true);
    client.destroy();
  });
});
