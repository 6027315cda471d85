import { describe, expect, it } from 'vitest';
import { silentAuthorization } from '../src/index.js';
import type { TabMessage } from '../src/tab-sync.js';
import { OFFLINE_ISSUER, OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient, offlineIdToken } from './support.js';

const SESSION_KEY = 'grantflow.app.session';

const otherTabSession = JSON.stringify({
  claims: {
    iss: OFFLINE_ISSUER,
    sub: 'v',
    aud: 'app',
    iat: OFFLINE_NOW / 1000,
    exp: OFFLINE_NOW / 1000 + 60,
  },
  refresh_tokens: {},
  tokens: { [OFFLINE_TOKEN_KEY]: { access_token: 'v', expires_at: OFFLINE_NOW + 300_000 } },
});

/**
 * A page loads over storage its tabs share, signed out, and restores through a silent authorization,
 * whose answer (`silentAnswer`) comes after another tab signed in: that tab wrote its session and said
 * so (`login`) while the restore was out.
 */
async function restoreOutrunByLogin(silentAnswer: 'login_required' | 'network down') {
  let hear: (message: TabMessage) => void = () => undefined;
  const transport = async ({ url, redirectUri }: { url: string; redirectUri: string }) => {
    storage.set(SESSION_KEY, otherTabSession);
    hear('login');
    if (silentAnswer === 'network down') throw new TypeError('Failed to fetch');
    const state = new URL(url).searchParams.get('state');
    return `${redirectUri}?error=login_required&state=${state}`;
  };
  const { client, storage } = offlineClient({}, () => Promise.reject(new Error('unused')), {
    silentAuthorization: silentAuthorization(transport),
    tabs: ({ onMessage }) => {
      hear = onMessage;
      return { post: () => undefined, withLock: (task) => task(false), close: () => undefined };
    },
  });
  const statuses: string[] = [];
  client.subscribe(({ status }) => statuses.push(status));
  await client.checkSession().catch(() => undefined);
  return { client, storage, statuses };
}

describe("another tab's sign-in while this page restores its session", () => {
  it.each(['login_required', 'network down'] as const)(
    'ends with the session that tab stored, kept there (restore answered %s)',
    async (silentAnswer) => {
      const { client, storage, statuses } = await restoreOutrunByLogin(silentAnswer);
      expect(storage.get(SESSION_KEY)).toBe(otherTabSession);
      expect(client.getSnapshot()).toMatchObject({
        status: 'authenticated',
        user: { sub: 'v' },
        error: undefined,
      });
      expect(statuses).toEqual(['checking', 'authenticated']);
      await expect(client.getAccessToken()).resolves.toBe('v');
      client.destroy();
    },
  );

  it('restores again with what checkSession(options) asked for: that API, those parameters', async () => {
    const API = 'https://other-api.example/';
    let hear: (message: TabMessage) => void = () => undefined;
    const asked: URLSearchParams[] = [];
    const transport = async ({ url, redirectUri }: { url: string; redirectUri: string }) => {
      const request = new URL(url).searchParams;
      asked.push(request);
      if (asked.length === 1) {
        storage.set(SESSION_KEY, otherTabSession);
        hear('login');
        return `${redirectUri}?error=login_required&state=${request.get('state')}`;
      }
      return `${redirectUri}?code=c&state=${request.get('state')}`;
    };
    const answer = async () =>
      Response.json({
        access_token: 'for-api',
        token_type: 'Bearer',
        expires_in: 300,
        id_token: offlineIdToken({ sub: 'v', nonce: asked.at(-1)!.get('nonce') }),
      });
    const { client, storage } = offlineClient({}, answer, {
      silentAuthorization: silentAuthorization(transport),
      tabs: ({ onMessage }) => {
        hear = onMessage;
        return { post: () => undefined, withLock: (task) => task(false), close: () => undefined };
      },
    });
    await client.checkSession({ audience: API, authorizationParams: { custom_param: 'x' } });
    expect(asked.map((request) => [request.get('audience'), request.get('custom_param')])).toEqual([
      [API, 'x'],
      [API, 'x'],
    ]);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'v' } });
    await expect(client.getAccessToken({ audience: API, cacheMode: 'cache-only' })).resolves.toBe('for-api');
    client.destroy();
  });
});
