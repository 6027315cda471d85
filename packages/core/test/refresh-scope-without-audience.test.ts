import { describe, expect, it } from 'vitest';
import { tokenCacheKey } from '../src/token-cache.js';
import { OFFLINE_NOW, offlineClient } from './support.js';

const DEFAULTS = 'openid profile email read:items write:items';

/**
 * The `scope` of the refresh a client without an audience sends for `extra`, when the server granted
 * its default token `granted` (RFC 6749 §6: a refresh may name no scope the grant lacks).
 */
async function refreshScopeFor(granted: string, extra: string) {
  const scopes: Array<string | null> = [];
  const { client } = offlineClient(
    {
      claims: {},
      refresh_tokens: { '': 'rt' },
      tokens: {
        [tokenCacheKey(undefined, DEFAULTS)]: {
          access_token: 'old',
          expires_at: OFFLINE_NOW - 1000,
          scope: granted,
        },
      },
    },
    () => Promise.reject(new TypeError('answered by fetch')),
    {
      scope: DEFAULTS,
      fetch: async (_url, init) => {
        scopes.push(new URLSearchParams(init.body as URLSearchParams).get('scope'));
        return Response.json({ access_token: 'fresh', token_type: 'Bearer', expires_in: 300 });
      },
    },
  );
  try {
    await expect(client.getAccessToken({ scope: extra })).resolves.toBe('fresh');
    return scopes;
  } finally {
    client.destroy();
  }
}

describe('a refresh for extra scopes without an audience asks only for what the server granted', () => {
  it('leaves out an OIDC default the server withheld when its answers name OIDC scopes', async () => {
    await expect(refreshScopeFor('openid profile read:items write:items', 'admin')).resolves.toEqual([
      'openid profile read:items write:items admin',
    ]);
  });

  it('keeps the OIDC defaults but not a withheld API scope when its answers name no OIDC scope', async () => {
    await expect(refreshScopeFor('read:items', 'admin')).resolves.toEqual([
      'openid profile email read:items admin',
    ]);
  });
});
