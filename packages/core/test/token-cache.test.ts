import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../src/storage.js';
import { createTokenCache, isFresh, normalizeScope, tokenCacheKey } from '../src/token-cache.js';

describe('tokenCacheKey', () => {
  it('depends on audience and the set of scopes, not their order', () => {
    expect(tokenCacheKey('api', 'b a  a')).toBe(tokenCacheKey('api', 'a b'));
    expect(tokenCacheKey('api', 'a')).not.toBe(tokenCacheKey('other', 'a'));
    expect(tokenCacheKey(undefined, 'a')).not.toBe(tokenCacheKey('api', 'a'));
    expect(normalizeScope(' openid  profile openid ')).toBe('openid profile');
  });
});

describe('isFresh', () => {
  it('is true only while more than the leeway remains at the given time', () => {
    const token = { access_token: 't', expires_at: 100_000, scope: undefined };
    expect(isFresh(token, 39_999, 60)).toBe(true);
    expect(isFresh(token, 40_000, 60)).toBe(false);
    expect(isFresh(token, 99_999, 0)).toBe(true);
    expect(isFresh(token, 100_000, 0)).toBe(false);
  });
});

describe('createTokenCache', () => {
  it('returns a token only while it is fresh, judged at call time', async () => {
    const cache = createTokenCache(memoryStorage(), 'k');
    await cache.write({
      refresh_tokens: {},
      tokens: { a: { access_token: 't', expires_at: 100_000, scope: 's' } },
    });
    await expect(cache.get('a', 0, 60)).resolves.toMatchObject({ access_token: 't' });
    await expect(cache.get('a', 50_000, 60)).resolves.toBeUndefined();
    await expect(cache.get('b', 0, 60)).resolves.toBeUndefined();
  });

  it('reads an empty session from nothing, garbage or someone else’s value', async () => {
    const storage = memoryStorage();
    const cache = createTokenCache(storage, 'k');
    await expect(cache.read()).resolves.toEqual({ refresh_tokens: {}, tokens: {} });
    storage.set('k', 'garbage');
    await expect(cache.read()).resolves.toEqual({ refresh_tokens: {}, tokens: {} });
    storage.set('k', '{"tokens":1}');
    await expect(cache.read()).resolves.toEqual({ refresh_tokens: {}, tokens: {} });
  });

  it('reads whatever else is stored under its key as an empty session, never throwing (property)', async () => {
    const storage = memoryStorage();
    const cache = createTokenCache(storage, 'k');
    const notASession = fc.oneof(
      fc.string(),
      fc.jsonValue().filter((value) => !(value && typeof value === 'object' && 'tokens' in value)),
      fc.record({ tokens: fc.constant({}) }),
      fc.record({ refresh_tokens: fc.constant({}) }),
    );
    await fc.assert(
      fc.asyncProperty(notASession, async (value) => {
        storage.set('k', typeof value === 'string' ? value : JSON.stringify(value));
        await expect(cache.read()).resolves.toEqual({ refresh_tokens: {}, tokens: {} });
      }),
    );
  });

  it('clears everything at once', async () => {
    const storage = memoryStorage();
    const cache = createTokenCache(storage, 'k');
    await cache.write({ refresh_tokens: { '': 'rt' }, tokens: {} });
    await cache.clear();
    expect(storage.get('k')).toBeUndefined();
  });
});
