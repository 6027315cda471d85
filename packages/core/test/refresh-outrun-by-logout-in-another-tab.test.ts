import { describe, expect, it } from 'vitest';
import { InvalidResponseError, LoginRequiredError } from '../src/index.js';
import type { StorageAdapter } from '../src/storage.js';
import { OFFLINE_ISSUER, OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const SESSION_KEY = 'grantflow.app.session';

/** A session as a tab stores it: `sub`'s ID token claims, its refresh token and a fresh access token. */
const storedSession = (sub: string, refreshToken: string, accessToken: string) =>
  JSON.stringify({
    claims: { iss: OFFLINE_ISSUER, sub, aud: 'app', iat: OFFLINE_NOW / 1000, exp: OFFLINE_NOW / 1000 + 60 },
    refresh_tokens: { '': refreshToken },
    tokens: { [OFFLINE_TOKEN_KEY]: { access_token: accessToken, expires_at: OFFLINE_NOW + 300_000 } },
  });

/**
 * Signed in over storage the app's tabs share (no tabs module, so no message tells this tab), with an
 * access token it renews (cacheMode 'off'); while that refresh is out, another tab logs out
 * (`otherTabLogsOut`).
 */
async function refreshOutrunBy(otherTabLogsOut: (shared: Map<string, string>) => void, tokenType = 'Bearer') {
  const shared = new Map([[SESSION_KEY, storedSession('u', 'rt-1', 'old')]]);
  const storage: StorageAdapter = {
    get: (key) => shared.get(key),
    set: (key, value) => void shared.set(key, value),
    remove: (key) => void shared.delete(key),
  };
  let restored = false;
  const answer = async () => {
    if (restored) otherTabLogsOut(shared);
    return Response.json({
      access_token: 'new',
      token_type: restored ? tokenType : 'Bearer',
      expires_in: 300,
      refresh_token: 'rt-2',
    });
  };
  const { client } = offlineClient({}, answer, {
    storage,
    environment: { locks: undefined },
  });
  await client.checkSession();
  expect(client.getSnapshot().isAuthenticated).toBe(true);
  restored = true;
  const outcome = await client.getAccessToken({ cacheMode: 'off' }).catch((error: unknown) => error);
  return { client, shared, outcome };
}

describe('a refresh answered after another tab logged out over the shared storage', () => {
  it('brings nothing back: the session stays ended there and here, the answer dropped', async () => {
    const { client, shared, outcome } = await refreshOutrunBy((stored) => stored.delete(SESSION_KEY));
    expect(outcome).toBeInstanceOf(LoginRequiredError);
    expect(outcome).toMatchObject({ message: 'logged out meanwhile' });
    expect(shared.has(SESSION_KEY)).toBe(false);
    expect(client.getSnapshot().isAuthenticated).toBe(false);
    client.destroy();
  });

  it("leaves the session of someone who signed in there meanwhile as it is, with that user's tokens", async () => {
    const other = storedSession('v', 'rt-v', 'v');
    const { client, shared, outcome } = await refreshOutrunBy((stored) => stored.set(SESSION_KEY, other));
    expect(outcome).toBeInstanceOf(LoginRequiredError);
    expect(outcome).toMatchObject({ message: 'signed in anew meanwhile' });
    expect(shared.get(SESSION_KEY)).toBe(other);
    // It ends nothing there: this tab's next call finds the session now stored, and shows it.
    expect(await client.getAccessToken()).toBe('v');
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'v' } });
    expect(shared.get(SESSION_KEY)).toBe(other);
    client.destroy();
  });

  it("keeps no rotated refresh token of a malformed answer in the session someone else's sign-in stored", async () => {
    const other = storedSession('v', 'rt-v', 'v');
    const { client, shared, outcome } = await refreshOutrunBy(
      (stored) => stored.set(SESSION_KEY, other),
      'mac',
    );
    expect(outcome).toBeInstanceOf(InvalidResponseError);
    expect(shared.get(SESSION_KEY)).toBe(other);
    client.destroy();
  });

  it('is stored as usual when nothing happened meanwhile', async () => {
    const { client, shared, outcome } = await refreshOutrunBy(() => undefined);
    expect(outcome).toBe('new');
    expect(JSON.parse(shared.get(SESSION_KEY)!)).toMatchObject({ refresh_tokens: { '': 'rt-2' } });
    client.destroy();
  });
});
