import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevIdp, type DevIdp } from '../src/index.js';

describe('discovery', () => {
  let idp: DevIdp;
  beforeAll(async () => {
    idp = await startDevIdp({ port: 0, quiet: true });
  });
  afterAll(() => idp.close());

  it("publishes Auth0's endpoint paths under an issuer that ends in a slash, as Auth0's do", async () => {
    expect(idp.issuer).toMatch(/^http:\/\/localhost:\d+\/$/);
    const res = await fetch(new URL('.well-known/openid-configuration', idp.issuer));
    expect(res.status).toBe(200);
    const metadata = (await res.json()) as Record<string, unknown>;
    const at = (path: string) => new URL(path, idp.issuer).href;
    expect(metadata).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: at('/authorize'),
      token_endpoint: at('/oauth/token'),
      userinfo_endpoint: at('/userinfo'),
      jwks_uri: at('/.well-known/jwks.json'),
      revocation_endpoint: at('/oauth/revoke'),
      end_session_endpoint: at('/oidc/logout'),
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
  });

  it('answers paths appended to the issuer with a slash of their own (`${issuer}/path`)', async () => {
    const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { issuer: string }).issuer).toBe(idp.issuer);
  });

  it('serves the signing keys at the advertised jwks_uri, public parts only', async () => {
    const res = await fetch(`${idp.issuer}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(keys.some((key) => key.kty === 'RSA' && typeof key.kid === 'string')).toBe(true);
    for (const key of keys) expect(key).not.toHaveProperty('d');
  });
});
