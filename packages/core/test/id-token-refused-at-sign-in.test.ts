import { describe, expect, it } from 'vitest';
import { IdTokenInvalidError } from '../src/errors.js';
import { memoryStorage, type StorageAdapter } from '../src/storage.js';
import { OFFLINE_ISSUER, OFFLINE_NOW, offlineClient } from './support.js';

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const seconds = OFFLINE_NOW / 1000;

/** Signs in at a server whose token endpoint answers with an ID token of these claims and header. */
async function signInWith(claims: Record<string, unknown>, header: unknown = { alg: 'RS256' }) {
  const navigations: string[] = [];
  const written: string[] = [];
  const inner = memoryStorage();
  const storage: StorageAdapter = {
    ...inner,
    set: (key, value) => (written.push(value), inner.set(key, value)),
  };
  let nonce = '';
  const idToken = () =>
    `${segment(header)}.${segment({ iss: OFFLINE_ISSUER, sub: 'u', aud: 'app', iat: seconds, exp: seconds + 600, nonce, ...claims })}.c2ln`;
  const world = offlineClient(
    {},
    async () =>
      Response.json({
        access_token: 'the-access-token',
        token_type: 'Bearer',
        expires_in: 600,
        id_token: idToken(),
      }),
    { navigate: (url) => void navigations.push(url), storage },
  );
  await world.client.loginWithRedirect();
  const authorize = new URL(navigations[0]!).searchParams;
  nonce = authorize.get('nonce')!;
  const callback = `https://app.example/callback?code=c&state=${authorize.get('state')}`;
  return { ...world, written, outcome: world.client.handleRedirectCallback(callback) };
}

/** The login was refused as an invalid ID token, and neither the token nor the user was kept. */
async function expectRefusedAndNothingStored(world: Awaited<ReturnType<typeof signInWith>>, message: string) {
  await expect(world.outcome).rejects.toBeInstanceOf(IdTokenInvalidError);
  await expect(world.outcome).rejects.toThrow(message);
  expect(world.client.getSnapshot()).toMatchObject({ isAuthenticated: false, user: undefined });
  expect(world.written.join('\n')).not.toMatch(/the-access-token|"sub"/);
  await expect(world.client.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
}

describe('a sign-in whose ID token is refused stores nothing', () => {
  it('an ID token issued an hour in the future (beyond the leeway)', async () => {
    await expectRefusedAndNothingStored(await signInWith({ iat: seconds + 3600 }), 'ID token: bad iat');
  });

  it.each(['none', 'None'])('an unsigned ID token (alg %s)', async (alg) => {
    await expectRefusedAndNothingStored(await signInWith({}, { alg, typ: 'JWT' }), 'ID token: bad alg');
  });

  it('an ID token whose header names no alg', async () => {
    await expectRefusedAndNothingStored(await signInWith({}, { typ: 'JWT' }), 'ID token: bad header');
  });

  it('accepts the same answer with an ID token issued now', async () => {
    const world = await signInWith({});
    await world.outcome;
    expect(world.client.getSnapshot()).toMatchObject({ isAuthenticated: true, user: { sub: 'u' } });
    expect(world.written.join('\n')).toMatch(/the-access-token/);
  });
});
