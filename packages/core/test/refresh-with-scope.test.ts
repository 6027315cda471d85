import { describe, expect, it } from 'vitest';
import type { AuthClientOptions } from '../src/index.js';
import { tokenCacheKey } from '../src/token-cache.js';
import { OFFLINE_NOW, offlineClient } from './support.js';

const DEFAULTS = 'openid profile email read:items write:items';

/**
 * The `scope` each refresh of the default token sends, when the server granted it `granted` (`undefined`:
 * nothing cached yet but the refresh token).
 */
async function refreshScopes(granted: string | undefined, options: Partial<AuthClientOptions>, calls = 1) {
  const scopes: Array<string | null> = [];
  const key = tokenCacheKey(undefined, DEFAULTS);
  const { client } = offlineClient(
    {
      claims: {},
      refresh_tokens: { '': 'rt' },
      tokens:
        granted === undefined
          ? {}
          : { [key]: { access_token: 'old', expires_at: OFFLINE_NOW - 1000, scope: granted } },
    },
    () => Promise.reject(new TypeError('answered by fetch')),
    {
      scope: DEFAULTS,
      fetch: async (_url, init) => {
        scopes.push(new URLSearchParams(init.body as URLSearchParams).get('scope'));
        // Expired at once, so each call refreshes again.
        return Response.json({ access_token: 'fresh', token_type: 'Bearer', expires_in: 1, scope: granted });
      },
      ...options,
    },
  );
  try {
    for (let call = 0; call < calls; call++) await expect(client.getAccessToken()).resolves.toBe('fresh');
    return scopes;
  } finally {
    client.destroy();
  }
}

describe('refreshWithScope: every refresh names the scope, as Microsoft Entra ID requires', () => {
  it('names none by default: the server keeps the scope it granted (RFC 6749 §6)', async () => {
    await expect(refreshScopes('openid profile email read:items', {})).resolves.toEqual([null]);
  });

  it('names the default scope, less what the server did not grant, on every refresh', async () => {
    await expect(
      refreshScopes('openid profile email read:items', { refreshWithScope: true }, 2),
    ).resolves.toEqual(['openid profile email read:items', 'openid profile email read:items']);
  });

  it("keeps the OIDC defaults when the server's answers name only the API's scope (as Entra's do)", async () => {
    await expect(refreshScopes('read:items', { refreshWithScope: true })).resolves.toEqual([
      'openid profile email read:items',
    ]);
  });

  it('names the whole default scope when nothing says what was granted', async () => {
    await expect(refreshScopes(undefined, { refreshWithScope: true })).resolves.toEqual([DEFAULTS]);
  });
});
