import { describe, expect, it } from 'vitest';
import { IdTokenInvalidError } from '../src/errors.js';
import { offlineSignIn } from './offline-sign-in.js';
import { OFFLINE_NOW } from './support.js';

const seconds = OFFLINE_NOW / 1000;

/** The login was refused as an invalid ID token, and neither the token nor the user was kept. */
async function expectRefusedAndNothingStored(
  world: Awaited<ReturnType<typeof offlineSignIn>>,
  message: string,
) {
  await expect(world.outcome).rejects.toBeInstanceOf(IdTokenInvalidError);
  await expect(world.outcome).rejects.toThrow(message);
  expect(world.client.getSnapshot()).toMatchObject({ isAuthenticated: false, user: undefined });
  expect(world.written.join('\n')).not.toMatch(/the-access-token|"sub"/);
  await expect(world.client.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
}

describe('a sign-in whose ID token is refused stores nothing', () => {
  it('an ID token issued an hour in the future (beyond the leeway)', async () => {
    await expectRefusedAndNothingStored(await offlineSignIn({ iat: seconds + 3600 }), 'ID token: bad iat');
  });

  it.each(['none', 'None'])('an unsigned ID token (alg %s)', async (alg) => {
    await expectRefusedAndNothingStored(await offlineSignIn({}, { alg, typ: 'JWT' }), 'ID token: bad alg');
  });

  it('an ID token whose header names no alg', async () => {
    await expectRefusedAndNothingStored(await offlineSignIn({}, { typ: 'JWT' }), 'ID token: bad header');
  });

  it('accepts the same answer with an ID token issued now', async () => {
    const world = await offlineSignIn({});
    await world.outcome;
    expect(world.client.getSnapshot()).toMatchObject({ isAuthenticated: true, user: { sub: 'u' } });
    expect(world.written.join('\n')).toMatch(/the-access-token/);
  });
});
