import { describe, expect, it } from 'vitest';
import { silentAuthorization } from '../src/index.js';
import { OFFLINE_ISSUER, OFFLINE_NOW, offlineClient } from './support.js';

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const idToken = (claims: object) => `${encode({ alg: 'RS256' })}.${encode(claims)}.sig`;

/** A session in organization `org_abc` without a refresh token, renewed by a silent authorization. */
function organizationSession(organizationOfAnswer: string | undefined) {
  const authorizeUrls: URL[] = [];
  const transport = async ({ url, redirectUri }: { url: string; redirectUri: string }) => {
    authorizeUrls.push(new URL(url));
    return `${redirectUri}?code=c&state=${new URL(url).searchParams.get('state')}`;
  };
  const { client } = offlineClient(
    { claims: { org_id: 'org_abc' } },
    async () => {
      const nonce = authorizeUrls.at(-1)!.searchParams.get('nonce');
      const claims = {
        iss: OFFLINE_ISSUER,
        sub: 'u',
        aud: 'app',
        iat: OFFLINE_NOW / 1000,
        exp: OFFLINE_NOW / 1000 + 60,
        nonce,
      };
      return Response.json({
        access_token: 'renewed',
        token_type: 'Bearer',
        expires_in: 300,
        id_token: idToken(organizationOfAnswer ? { ...claims, org_id: organizationOfAnswer } : claims),
      });
    },
    { silentAuthorization: silentAuthorization(transport) },
  );
  return { client, authorizeUrls };
}

describe("a silent renewal of an organization's session", () => {
  it('asks for that organization and keeps it', async () => {
    const { client, authorizeUrls } = organizationSession('org_abc');
    expect(await client.getAccessToken()).toBe('renewed');
    expect(authorizeUrls[0]!.searchParams.get('organization')).toBe('org_abc');
    expect(authorizeUrls[0]!.searchParams.get('prompt')).toBe('none');
    client.destroy();
  });

  it('refuses an ID token that left the organization, storing nothing', async () => {
    const { client } = organizationSession(undefined);
    await expect(client.getAccessToken()).rejects.toMatchObject({ code: 'id_token_invalid' });
    await expect(client.getAccessToken({ cacheMode: 'cache-only' })).rejects.toMatchObject({
      code: 'login_required',
    });
    client.destroy();
  });
});
