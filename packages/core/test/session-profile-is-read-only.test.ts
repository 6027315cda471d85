import { describe, expect, it } from 'vitest';
import type { AuthSnapshot } from '../src/index.js';
import { offlineSignIn } from './offline-sign-in.js';
import { OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const profile = { name: 'Ada', address: { country: 'NL' }, roles: ['admin'] };

/** The objects below `value` (itself included) that are not frozen, by path. */
function unfrozen(value: unknown, path = '$'): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const own = Object.isFrozen(value) ? [] : [path];
  return own.concat(Object.entries(value).flatMap(([key, member]) => unfrozen(member, `${path}.${key}`)));
}

/** Writes (in strict mode, as this module is) are refused, and the snapshot keeps what the ID token said. */
function expectReadOnly(snapshot: () => AuthSnapshot) {
  const { user, idTokenClaims } = snapshot();
  expect(unfrozen(user)).toEqual([]);
  expect(unfrozen(idTokenClaims)).toEqual([]);
  const writable = user as unknown as typeof profile;
  expect(() => (writable.name = 'Mallory')).toThrow(TypeError);
  expect(() => (writable.address.country = 'XX')).toThrow(TypeError);
  expect(() => writable.roles.push('root')).toThrow(TypeError);
  expect(() => ((idTokenClaims as { sub: string }).sub = 'mallory')).toThrow(TypeError);
  expect(snapshot()).toMatchObject({
    user: { sub: 'u', ...profile },
    idTokenClaims: { sub: 'u', ...profile },
  });
}

describe("the session's user and ID token claims", () => {
  it('are read-only all the way down after a sign-in', async () => {
    const world = await offlineSignIn(profile);
    await world.outcome;
    expectReadOnly(() => world.client.getSnapshot());
    // Reading a token (which refreshes the snapshot) neither thaws nor changes them.
    await expect(world.client.getAccessToken()).resolves.toBe('the-access-token');
    expectReadOnly(() => world.client.getSnapshot());
    world.client.destroy();
  });

  it('are read-only all the way down in a session restored from storage', async () => {
    const token = { access_token: 'at', expires_at: OFFLINE_NOW + 300_000, scope: 'openid' };
    const { client } = offlineClient({ claims: profile, tokens: { [OFFLINE_TOKEN_KEY]: token } }, () =>
      Promise.reject(new TypeError('no request expected')),
    );
    await client.checkSession();
    expect(client.getSnapshot().isAuthenticated).toBe(true);
    expectReadOnly(() => client.getSnapshot());
    await expect(client.getIdTokenClaims()).resolves.toMatchObject({ sub: 'u', ...profile });
    client.destroy();
  });
});
