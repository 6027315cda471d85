import { describe, expect, it } from 'vitest';
import { LoginRequiredError, NetworkError } from '../src/errors.js';
import { tokenCacheKey } from '../src/token-cache.js';
import { API, cachedToken, CLAIMS, DEFAULT_KEY, NOW, tokenManagerWorld } from './token-manager-world.js';

const OTHER = 'https://other.test/';

/** A stored session with a refresh token and a default token of `seconds` left. */
async function sessionWithToken(access_token: string, seconds: number) {
  const world = tokenManagerWorld();
  await world.seed({
    refresh_tokens: { [API]: 'rt1' },
    tokens: { [DEFAULT_KEY]: cachedToken(access_token, seconds) },
  });
  return world;
}

describe('a cached access token', () => {
  it('is handed out without a request, and a snapshot that already shows it hears nothing', async () => {
    const world = await sessionWithToken('cached', 600);
    Object.assign(world.snapshot, { isAuthenticated: true, accessTokenExpiresAt: NOW + 600_000 });
    await expect(world.tokens.getAccessToken()).resolves.toBe('cached');
    expect(world.requests).toEqual([]);
    expect(world.events).toEqual([]);
  });

  it('renewed by another tab moves this tab’s snapshot to its expiry, with the stored user', async () => {
    const world = await sessionWithToken('renewed', 600);
    Object.assign(world.snapshot, { isAuthenticated: true, accessTokenExpiresAt: NOW + 1000 });
    await expect(world.tokens.getAccessToken()).resolves.toBe('renewed');
    expect(world.requests).toEqual([]);
    expect(world.events).toEqual([
      {
        type: 'AUTHENTICATED',
        session: expect.objectContaining({
          user: { sub: 'u1' },
          idTokenClaims: CLAIMS,
          accessTokenExpiresAt: NOW + 600_000,
          scope: 'openid read',
          tokenType: 'Bearer',
        }),
      },
    ]);
  });

  it('clears the last failure the snapshot shows, as any success does', async () => {
    const world = tokenManagerWorld();
    await world.seed({ tokens: { [DEFAULT_KEY]: cachedToken('cached', 600) } });
    Object.assign(world.snapshot, {
      isAuthenticated: true,
      accessTokenExpiresAt: NOW + 600_000,
      error: new NetworkError('down'),
    });
    await world.tokens.getAccessToken();
    expect(world.events).toEqual([{ type: 'AUTHENTICATED', session: expect.anything() }]);
  });

  it('stored without a user puts no session into the snapshot', async () => {
    const world = tokenManagerWorld();
    await world.seed({ claims: undefined, tokens: { [DEFAULT_KEY]: cachedToken('userless', 600) } });
    Object.assign(world.snapshot, { isAuthenticated: true, accessTokenExpiresAt: NOW + 1000 });
    await expect(world.tokens.getAccessToken()).resolves.toBe('userless');
    expect(world.events).toEqual([]);
  });

  it('of another audience, or while a restore or sign-in is under way, leaves the snapshot alone', async () => {
    const world = tokenManagerWorld();
    const otherKey = tokenCacheKey(OTHER, 'openid read offline_access');
    await world.seed({
      tokens: { [DEFAULT_KEY]: cachedToken('default', 600), [otherKey]: cachedToken('other', 300) },
    });
    Object.assign(world.snapshot, { isAuthenticated: true, accessTokenExpiresAt: NOW + 600_000 });
    await expect(world.tokens.getAccessToken({ audience: OTHER })).resolves.toBe('other');
    for (const status of ['checking', 'redirecting', 'authorizing', 'exchanging'] as const) {
      Object.assign(world.snapshot, { status, isAuthenticated: false, accessTokenExpiresAt: undefined });
      await expect(world.tokens.getAccessToken()).resolves.toBe('default');
    }
    expect(world.events).toEqual([]);
  });

  it.each(['unauthenticated', 'error'] as const)(
    'of a stored session, handed out while the snapshot is %s (before checkSession), shows that session',
    async (status) => {
      const world = await sessionWithToken('stored', 600);
      Object.assign(world.snapshot, { status, isAuthenticated: false, accessTokenExpiresAt: undefined });
      await expect(world.tokens.getAccessToken()).resolves.toBe('stored');
      expect(world.requests).toEqual([]);
      expect(world.events).toEqual([
        {
          type: 'AUTHENTICATED',
          session: expect.objectContaining({ user: { sub: 'u1' }, accessTokenExpiresAt: NOW + 600_000 }),
        },
      ]);
    },
  );

  it('read while a logout is under way shows no session: the logout came after and wins', async () => {
    // A storage whose removal lands later (an adapter over a slower store): reads still see the session.
    const stored = new Map<string, string>();
    let land: (value?: unknown) => void = () => undefined;
    const landed = new Promise((resolve) => (land = resolve));
    const world = tokenManagerWorld({
      storage: {
        get: (key) => stored.get(key),
        set: (key, value) => void stored.set(key, value),
        remove: async (key) => void (await landed, stored.delete(key)),
      },
    });
    await world.seed({
      refresh_tokens: { [API]: 'rt1' },
      tokens: { [DEFAULT_KEY]: cachedToken('stored', 600) },
    });
    Object.assign(world.snapshot, { status: 'unauthenticated', isAuthenticated: false });
    const call = world.tokens.getAccessToken();
    const logout = world.tokens.clear();
    await call.catch(() => undefined);
    land();
    await logout;
    expect(world.events).toEqual([]);
  });

  it('that is stale is not handed out: cache-only refuses with login_required and asks nobody', async () => {
    const world = await sessionWithToken('stale', 30);
    const attempt = world.tokens.getAccessToken({ cacheMode: 'cache-only' });
    await expect(attempt).rejects.toBeInstanceOf(LoginRequiredError);
    await expect(attempt).rejects.toThrow('no cached token');
    expect(world.requests).toEqual([]);
  });

  it('is bypassed by cacheMode off: the refresh token renews it at once', async () => {
    const world = await sessionWithToken('cached', 600);
    await expect(world.tokens.getAccessToken({ cacheMode: 'off' })).resolves.toBe('at1');
    expect(world.requests.map((params) => params.get('refresh_token'))).toEqual(['rt1']);
    await expect(world.tokens.getAccessToken()).resolves.toBe('at1');
    expect(world.requests).toHaveLength(1);
  });
});
