import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID } from '../src/index.js';
import { ALICE, REDIRECT_URI, devIdpForFile, signInForTokens } from './support.js';

const started = devIdpForFile({ redirectUris: [REDIRECT_URI] });

interface AuthMethodsMetadata {
  token_endpoint_auth_methods_supported?: string[];
  revocation_endpoint_auth_methods_supported?: string[];
  introspection_endpoint?: string;
}

async function metadata(path: string): Promise<AuthMethodsMetadata> {
  return (await (await fetch(new URL(path, started.idp.issuer))).json()) as AuthMethodsMetadata;
}

function revoke(token: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(started.discovery.revocation_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, token }),
  });
}

describe('client authentication in discovery (RFC 8414 §2)', () => {
  it.each(['.well-known/openid-configuration', '.well-known/oauth-authorization-server'])(
    '%s lists the revocation endpoint methods, the public clients\u2019 `none`, as for the token endpoint',
    async (path) => {
      const document = await metadata(path);
      // Left out, the revocation endpoint's methods would default to client_secret_basic.
      expect(document.revocation_endpoint_auth_methods_supported).toEqual(['none']);
      expect(document.token_endpoint_auth_methods_supported).toEqual(['none']);
      expect(document.introspection_endpoint).toBeUndefined();
    },
  );

  it('revocation accepts a public client by client_id alone and refuses a client secret', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE);
    expect((await revoke(body.refresh_token!)).status).toBe(200);
    const basic = `Basic ${Buffer.from(`${DEFAULT_CLIENT_ID}:secret`).toString('base64')}`;
    const refused = await revoke(body.access_token!, { authorization: basic });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_client');
  });
});
