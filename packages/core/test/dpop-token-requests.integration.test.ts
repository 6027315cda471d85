import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdp } from '@grantflow/dev-idp';
import { createDpopProof, dpop, memoryKeyStore } from '../src/dpop.js';
import { processTokenResponse } from '../src/token-endpoint.js';
import { jwtPayload, login, startIdp, testClient } from './support.js';

const decode = (jwt: string) => jwtPayload(`x.${jwt.split('.')[0]}`) as { jwk: Record<string, string> };

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp({ dpopNonces: true });
});
afterAll(() => idp.close());

describe('DPoP at the token endpoint (dev IdP with server nonces)', () => {
  it('binds the tokens to the key, following the nonce once, on the code exchange and each refresh', async () => {
    const keyStore = memoryKeyStore();
    const proof = dpop({ keyStore });
    const { client, navigations, tokenRequests, expireTokens } = testClient(idp.issuer, {
      useRefreshTokens: true,
      scope: 'openid profile email offline_access read:appointments',
      proof,
    });
    await login(client, navigations);
    // The first exchange is refused for want of a nonce and sent once more with it.
    expect(tokenRequests.map((r) => r.params.get('grant_type'))).toEqual([
      'authorization_code',
      'authorization_code',
    ]);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', tokenType: 'DPoP' });
    const token = await client.getAccessToken();
    const jkt = (jwtPayload(token).cnf as { jkt: string }).jkt;
    expect(jkt).toEqual(expect.any(String));

    expireTokens();
    const renewed = await client.getAccessToken();
    expect(renewed).not.toBe(token);
    expect(tokenRequests.at(-1)!.params.get('grant_type')).toBe('refresh_token');
    // The nonce is known now: one request, bound to the same key.
    expect(tokenRequests).toHaveLength(3);
    expect((jwtPayload(renewed).cnf as { jkt: string }).jkt).toBe(jkt);

    const own = await createDpopProof(client, {
      method: 'GET',
      url: 'https://api.test/x',
      accessToken: renewed,
    });
    const before = decode(own).jwk;
    await client.logout({ localOnly: true });
    expect(await keyStore.get('default')).toBeUndefined();
    const after = decode(await proof.createProof({ method: 'GET', url: 'https://api.test/x' })).jwk;
    expect(after.x).not.toBe(before.x);
    client.destroy();
  });

  it('accepts token_type DPoP only when a proof was sent', () => {
    const body = { access_token: 'a', token_type: 'DPoP', expires_in: 60 };
    expect(processTokenResponse(200, body, 'DPoP').token_type).toBe('DPoP');
    expect(() => processTokenResponse(200, body)).toThrow();
  });

  it('createDpopProof refuses a client without the module', () => {
    const { client } = testClient(idp.issuer);
    expect(() => createDpopProof(client, { method: 'GET', url: 'https://api.test/' })).toThrow(TypeError);
    client.destroy();
  });
});
