import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { devIdpForFile, dpopProof, REDIRECT_URI, signInForBoundTokens } from './support.js';

const started = devIdpForFile({ redirectUris: [REDIRECT_URI] });

const ADVERTISED = ['ES256', 'Ed25519', 'EdDSA'];

async function advertisedAlgs(): Promise<string[]> {
  const response = await fetch(new URL('.well-known/openid-configuration', started.idp.issuer));
  return ((await response.json()) as { dpop_signing_alg_values_supported: string[] })
    .dpop_signing_alg_values_supported;
}

describe('DPoP proof algorithms at userinfo (RFC 9449 §5.1 dpop_signing_alg_values_supported)', () => {
  it('discovery advertises ES256, Ed25519 and EdDSA', async () => {
    expect(await advertisedAlgs()).toEqual(ADVERTISED);
  });

  describe.each([
    ['an API token', { scope: 'openid profile read:appointments' }],
    ['an opaque token', { scope: 'openid profile', audience: undefined }],
  ])('with %s', (_kind, extra) => {
    it.each(ADVERTISED)('answers a proof signed with %s', async (alg) => {
      const key = await generateKeyPair(alg);
      const { body } = await signInForBoundTokens(started.discovery, key, { ...extra, alg });
      expect(body.token_type).toBe('DPoP');
      const token = body.access_token!;
      const htu = started.discovery.userinfo_endpoint;
      const response = await fetch(htu, {
        headers: {
          authorization: `DPoP ${token}`,
          dpop: await dpopProof(key, { htm: 'GET', htu, accessToken: token, alg }),
        },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ sub: 'alice', name: 'Alice Example' });
    });
  });
});
