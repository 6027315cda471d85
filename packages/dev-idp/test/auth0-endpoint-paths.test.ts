import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevIdp, type DevIdp } from '../src/index.js';

describe('discovery', () => {
  let idp: DevIdp;
  beforeAll(async () => {
    idp = await startDevIdp({ port: 0, quiet: true });
  });
  afterAll(() => idp.close());

  it("publishes Auth0's endpoint paths under the issuer", async () => {
    const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const metadata = (await res.json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${idp.issuer}/authorize`,
      token_endpoint: `${idp.issuer}/oauth/token`,
      userinfo_endpoint: `${idp.issuer}/userinfo`,
      jwks_uri: `${idp.issuer}/.well-known/jwks.json`,
      revocation_endpoint: `${idp.issuer}/oauth/revoke`,
      end_session_endpoint: `${idp.issuer}/oidc/logout`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
  });

  it('serves the signing keys at the advertised jwks_uri, public parts only', async () => {
    const res = await fetch(`${idp.issuer}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(keys.some((key) => key.kty === 'RSA' && typeof key.kid === 'string')).toBe(true);
    for (const key of keys) expect(key).not.toHaveProperty('d');
  });
});
