import { describe, expect, it } from 'vitest';
import { silentAuthorization } from '../src/index.js';
import { OFFLINE_ISSUER, OFFLINE_NOW, offlineClient } from './support.js';

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const idToken = (claims: object) => `${encode({ alg: 'RS256' })}.${encode(claims)}.sig`;

/**
 * A session in organization `org_abc` (or the one of `session`) without a refresh token, renewed by a
 * silent authorization whose ID token carries `org_id: organizationOfAnswer` (or the claims `answered`).
 */
function organizationSession(
  organizationOfAnswer: string | undefined,
  session: Record<string, unknown> = { org_id: 'org_abc' },
  answered: Record<string, unknown> = organizationOfAnswer ? { org_id: organizationOfAnswer } : {},
) {
  const authorizeUrls: URL[] = [];
  const transport = async ({ url, redirectUri }: { url: string; redirectUri: string }) => {
    authorizeUrls.push(new URL(url));
    return `${redirectUri}?code=c&state=${new URL(url).searchParams.get('state')}`;
  };
  const { client } = offlineClient(
    { claims: session },
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
        id_token: idToken({ ...claims, ...answered }),
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

  it('asks for an organization the session knows by name only, and refuses an answer from another', async () => {
    const named = organizationSession(undefined, { org_name: 'acme' }, { org_name: 'acme' });
    expect(await named.client.getAccessToken()).toBe('renewed');
    expect(named.authorizeUrls[0]!.searchParams.get('organization')).toBe('acme');
    named.client.destroy();
    const moved = organizationSession(undefined, { org_name: 'acme' }, { org_name: 'globex' });
    await expect(moved.client.getAccessToken()).rejects.toMatchObject({ code: 'id_token_invalid' });
    moved.client.destroy();
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
