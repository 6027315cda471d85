import { describe, expect, it } from 'vitest';
import { LoginRequiredError, MissingRefreshTokenError } from '../src/errors.js';
import { memoryStorage, type StorageAdapter } from '../src/storage.js';
import {
  API,
  cachedToken,
  CLAIMS,
  DEFAULT_KEY,
  NOW,
  tokenAnswer,
  tokenManagerWorld,
} from './token-manager-world.js';

const spent = (world: ReturnType<typeof tokenManagerWorld>) =>
  world.requests.map((params) => params.get('refresh_token'));

describe('after waiting for another tab’s renewal', () => {
  it('looks again every 30 ms until that tab’s rotated refresh token arrives, then spends the new one', async () => {
    const world = tokenManagerWorld({ waited: true });
    await world.seed({ refresh_tokens: { [API]: 'rt1' } });
    world.hooks.onWait = () => world.delays.length === 3 && world.seed({ refresh_tokens: { [API]: 'rt2' } });
    await world.tokens.getAccessToken();
    expect(world.delays).toEqual([30, 30, 30]);
    expect(spent(world)).toEqual(['rt2']);
  });

  it('gives up after ten looks and spends the refresh token it saw', async () => {
    const world = tokenManagerWorld({ waited: true });
    await world.seed({ refresh_tokens: { [API]: 'rt1' } });
    await world.tokens.getAccessToken();
    expect(world.delays).toEqual(Array(10).fill(30));
    expect(spent(world)).toEqual(['rt1']);
  });

  it('takes the token the other tab already stored, without a request', async () => {
    const world = tokenManagerWorld({ waited: true });
    await world.seed({ refresh_tokens: { [API]: 'rt1' } });
    world.hooks.onWait = () =>
      world.seed({ refresh_tokens: { [API]: 'rt2' }, tokens: { [DEFAULT_KEY]: cachedToken('theirs', 600) } });
    await expect(world.tokens.getAccessToken()).resolves.toBe('theirs');
    expect(world.requests).toEqual([]);
  });

  it('waits the same for a client without an audience, whose refresh token is stored under none', async () => {
    const world = tokenManagerWorld({ waited: true, audience: undefined });
    await world.seed({ refresh_tokens: { '': 'rt1' } });
    world.hooks.onWait = () => world.seed({ refresh_tokens: { '': 'rt2' } });
    await world.tokens.getAccessToken();
    expect(world.delays).toEqual([30]);
    expect(spent(world)).toEqual(['rt2']);
  });

  it('goes on without waiting when storage failed before the lock but answers under it', async () => {
    const memory = memoryStorage();
    const failing = { fail: true };
    const storage: StorageAdapter = {
      get: (key) => {
        if (failing.fail) throw ((failing.fail = false), new Error('storage busy'));
        return memory.get(key);
      },
      set: (key, value) => memory.set(key, value),
      remove: (key) => memory.remove(key),
    };
    const world = tokenManagerWorld({ waited: true, storage });
    failing.fail = false;
    await world.seed({ refresh_tokens: { [API]: 'rt1' } });
    failing.fail = true;
    await expect(world.tokens.getAccessToken({ cacheMode: 'off' })).resolves.toBe('at1');
    expect(world.delays).toEqual([]);
    expect(spent(world)).toEqual(['rt1']);
  });

  it('does not wait when no other tab held the lock, nor when no refresh token was stored', async () => {
    const first = tokenManagerWorld();
    await first.seed({ refresh_tokens: { [API]: 'rt1' } });
    await first.tokens.getAccessToken();
    const none = tokenManagerWorld({ waited: true });
    await none.seed({});
    await expect(none.tokens.getAccessToken()).rejects.toBeInstanceOf(MissingRefreshTokenError);
    expect([first.delays, none.delays]).toEqual([[], []]);
  });
});

describe('concurrent calls', () => {
  it('share one request while it is out; a call after it ended makes its own', async () => {
    const world = tokenManagerWorld();
    await world.seed({ refresh_tokens: { [API]: 'rt1' } });
    const both = await Promise.all([
      world.tokens.getAccessToken({ cacheMode: 'off' }),
      world.tokens.getAccessToken({ cacheMode: 'off' }),
    ]);
    expect(both).toEqual(['at1', 'at1']);
    await expect(world.tokens.getAccessToken({ cacheMode: 'off' })).resolves.toBe('at2');
    expect(world.requests).toHaveLength(2);
  });

  it('after a logout, start afresh: the old request neither lands nor reports, nor ends the new one’s sharing', async () => {
    const world = tokenManagerWorld();
    await world.seed({ refresh_tokens: { [API]: 'rt1' } });
    let answerOld: (response: Response) => void = () => undefined;
    world.answers.push(() => new Promise((resolve) => (answerOld = resolve)));
    let answerNew: (response: Response) => void = () => undefined;
    world.answers.push(() => new Promise((resolve) => (answerNew = resolve)));
    const old = world.tokens.getAccessToken();
    await expect.poll(() => world.requests.length).toBe(1);
    const before = world.tokens.generation();
    await world.tokens.clear();
    expect(world.tokens.generation()).not.toBe(before);
    await world.seed({ refresh_tokens: { [API]: 'rt9' } });
    const fresh = world.tokens.getAccessToken();
    await expect.poll(() => world.requests.length).toBe(2);
    answerOld(tokenAnswer('late'));
    await expect(old).rejects.toThrow(new LoginRequiredError('logged out meanwhile'));
    const sharing = world.tokens.getAccessToken();
    answerNew(tokenAnswer('new'));
    await expect(Promise.all([fresh, sharing])).resolves.toEqual(['new', 'new']);
    expect(world.requests).toHaveLength(2);
    expect(world.events.filter((event) => event.type === 'FAILED')).toEqual([]);
  });
});

describe('restoring at page load', () => {
  it('shows a stored session with a fresh token, without a request', async () => {
    const world = tokenManagerWorld();
    await world.seed({ tokens: { [DEFAULT_KEY]: cachedToken('cached', 600) } });
    await world.tokens.restore();
    expect(world.requests).toEqual([]);
    expect(world.events).toEqual([
      {
        type: 'AUTHENTICATED',
        session: expect.objectContaining({ idTokenClaims: CLAIMS, accessTokenExpiresAt: NOW + 600_000 }),
        restoring: true,
      },
    ]);
  });

  it('renews a stale token without showing a renewal, and is signed out when no user comes of it', async () => {
    const world = tokenManagerWorld();
    await world.seed({ claims: undefined, refresh_tokens: { [API]: 'rt1' } });
    await world.tokens.restore();
    expect(spent(world)).toEqual(['rt1']);
    expect(world.events).toEqual([{ type: 'UNAUTHENTICATED', restoring: true }]);
  });

  it('reports a failure with the session found in storage, for the state machine to judge', async () => {
    const world = tokenManagerWorld();
    await world.seed({ refresh_tokens: { [API]: 'rt1' } });
    world.answers.push(() => new Response('', { status: 503 }));
    await world.tokens.restore();
    expect(world.events).toEqual([
      {
        type: 'FAILED',
        error: expect.objectContaining({ code: 'invalid_response', status: 503 }),
        stored: expect.objectContaining({ idTokenClaims: CLAIMS, accessTokenExpiresAt: undefined }),
        restoring: true,
      },
    ]);
  });
});
