import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { devIdpForFile, dpopProof, REDIRECT_URI, signInForBoundTokens, type DpopKey } from './support.js';

const started = devIdpForFile({ redirectUris: [REDIRECT_URI], dpopNonces: true });

function userinfo(key: DpopKey, token: string, nonce?: string) {
  return async () => {
    const htu = started.discovery.userinfo_endpoint;
    return fetch(htu, {
      headers: {
        authorization: `DPoP ${token}`,
        dpop: await dpopProof(key, { htm: 'GET', htu, accessToken: token, nonce }),
      },
    });
  };
}

function expectNonceChallenge(response: Response): string {
  expect(response.status).toBe(401);
  const challenge = response.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^DPoP /);
  expect(challenge).toContain('error="use_dpop_nonce"');
  const nonce = response.headers.get('dpop-nonce');
  expect(nonce).toEqual(expect.any(String));
  return nonce!;
}

describe('userinfo with server DPoP nonces (dpopNonces, RFC 9449 §9)', () => {
  describe.each([
    ['an API token', {}],
    ['an opaque token', { audience: undefined, scope: 'openid profile' }],
  ])('with %s', (_kind, extra) => {
    it('asks for a nonce with use_dpop_nonce and a DPoP-Nonce, then answers the proof that carries it', async () => {
      const key = await generateKeyPair('ES256');
      const { body } = await signInForBoundTokens(started.discovery, key, extra);
      expect(body.token_type).toBe('DPoP');
      const token = body.access_token!;

      const nonce = expectNonceChallenge(await userinfo(key, token)());
      const answered = await userinfo(key, token, nonce)();
      expect(answered.status).toBe(200);
      expect(await answered.json()).toMatchObject({ sub: 'alice' });
    });

    it('asks again for a nonce the server never gave', async () => {
      const key = await generateKeyPair('ES256');
      const { body } = await signInForBoundTokens(started.discovery, key, extra);
      expectNonceChallenge(await userinfo(key, body.access_token!, 'made-up-nonce')());
    });
  });
});
