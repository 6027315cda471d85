import { describe, expect, it } from 'vitest';
import { OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const noAnswer = () => Promise.reject(new TypeError('offline'));
const token = (access_token: string, msLeft: number, extra: object = {}) => ({
  access_token,
  expires_at: OFFLINE_NOW + msLeft,
  scope: 'openid',
  ...extra,
});

describe('getAccessToken({ detailedResponse: true }) from the cache', () => {
  it('gives the seconds left judged now, the scope, and Bearer for a session stored before types were kept', async () => {
    const { client } = offlineClient(
      { claims: {}, tokens: { [OFFLINE_TOKEN_KEY]: token('old', 90_400) } },
      noAnswer,
    );
    await expect(client.getAccessToken({ detailedResponse: true })).resolves.toEqual({
      access_token: 'old',
      id_token: undefined,
      expires_in: 90,
      scope: 'openid',
      token_type: 'Bearer',
    });
    client.destroy();
  });

  it('describes the token of extra scopes, cached under the default scopes plus those', async () => {
    const { client } = offlineClient(
      {
        claims: {},
        tokens: {
          [OFFLINE_TOKEN_KEY]: token('default', 600_000),
          [`${OFFLINE_TOKEN_KEY} write`]: token('writer', 120_000, { scope: 'write', token_type: 'DPoP' }),
        },
      },
      noAnswer,
    );
    await expect(client.getAccessToken({ scope: 'write', detailedResponse: true })).resolves.toEqual({
      access_token: 'writer',
      id_token: undefined,
      expires_in: 120,
      scope: 'write',
      token_type: 'DPoP',
    });
    client.destroy();
  });
});

describe('getAccessToken with Auth0\u2019s authorizationParams spelling', () => {
  const OTHER = 'https://other.test/';
  const cached = {
    claims: {},
    tokens: {
      [OFFLINE_TOKEN_KEY]: token('default', 600_000),
      [`${OTHER}${OFFLINE_TOKEN_KEY} write`]: token('other-writer', 600_000, { scope: 'write' }),
    },
  };

  it('reads audience and scope from authorizationParams, as getTokenSilently does', async () => {
    const { client } = offlineClient(cached, noAnswer);
    await expect(
      client.getAccessToken({ authorizationParams: { audience: OTHER, scope: 'write' } }),
    ).resolves.toBe('other-writer');
    client.destroy();
  });

  it('lets the top-level audience and scope win over authorizationParams', async () => {
    const { client } = offlineClient(cached, noAnswer);
    await expect(
      client.getAccessToken({
        audience: OTHER,
        scope: 'write',
        authorizationParams: { audience: 'https://x/' },
      }),
    ).resolves.toBe('other-writer');
    client.destroy();
  });
});
