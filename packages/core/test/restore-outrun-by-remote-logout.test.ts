import { describe, expect, it } from 'vitest';
import type { AuthStatus, TabMessage } from '../src/index.js';
import type { StorageAdapter } from '../src/storage.js';
import { OFFLINE_ISSUER, OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const SESSION_KEY = 'grantflow.app.session';

const storedSession = (expiresAt: number) =>
  JSON.stringify({
    claims: {
      iss: OFFLINE_ISSUER,
      sub: 'u',
      aud: 'app',
      iat: OFFLINE_NOW / 1000,
      exp: OFFLINE_NOW / 1000 + 60,
    },
    refresh_tokens: { '': 'rt-1' },
    tokens: { [OFFLINE_TOKEN_KEY]: { access_token: 'old', expires_at: expiresAt, scope: 'openid' } },
  });

/**
 * A tab restoring at page load over storage the tabs share, where every wait (a storage read, the token
 * endpoint's answer) is held until the test lets it go: a read answers with what was stored when it was
 * made. `logoutAt` is the wait during which another tab logs out (clears the storage and says so).
 */
async function restore(stored: string, logoutAt?: number) {
  const shared = new Map([[SESSION_KEY, stored]]);
  const waits: Array<() => void> = [];
  const held = <T>(value: T) => new Promise<T>((resolve) => waits.push(() => resolve(value)));
  const storage: StorageAdapter = {
    get: (key) => held(shared.get(key)),
    set: (key, value) => void shared.set(key, value),
    remove: (key) => void shared.delete(key),
  };
  let tell: (message: TabMessage) => void = () => undefined;
  const token = () =>
    held(
      Response.json({ access_token: 'new', token_type: 'Bearer', expires_in: 300, refresh_token: 'rt-2' }),
    );
  // The other tab: its logout reaches this one through the tabs module.
  const { client } = offlineClient({}, token, {
    storage,
    tabs: ({ onMessage }) => {
      tell = onMessage;
      return { post: () => undefined, withLock: (task) => task(false), close: () => undefined };
    },
    environment: { locks: undefined },
  });
  const statuses: AuthStatus[] = [];
  client.subscribe((snapshot) => statuses.push(snapshot.status));
  let settled = false;
  const checking = client.checkSession().finally(() => (settled = true));
  let wait = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (settled || waits.length === 0) break;
    if (wait++ === logoutAt) {
      shared.delete(SESSION_KEY);
      tell('logout');
    }
    waits.shift()!();
  }
  await checking;
  client.destroy();
  return { statuses, snapshot: client.getSnapshot(), stored: shared.get(SESSION_KEY), waits: wait };
}

describe('a page-load restore while another tab logs out', () => {
  for (const [name, stored] of [
    ['a stored token still fresh', storedSession(OFFLINE_NOW + 300_000)],
    ['a refresh of an expired stored token', storedSession(OFFLINE_NOW - 1)],
  ] as const) {
    it(`ends signed out, whatever the restore was waiting for (${name})`, async () => {
      const undisturbed = await restore(stored);
      expect(undisturbed.snapshot.status).toBe('authenticated');
      expect(undisturbed.waits).toBeGreaterThan(1);
      for (let at = 0; at < undisturbed.waits; at++) {
        const outcome = await restore(stored, at);
        expect(outcome.snapshot, `logout during wait ${at}`).toMatchObject({
          status: 'unauthenticated',
          isAuthenticated: false,
          error: undefined,
        });
        expect(outcome.statuses, `logout during wait ${at}`).toEqual(['checking', 'unauthenticated']);
        // The restore's late tokens are not written back for the other tabs to find.
        expect(outcome.stored, `logout during wait ${at}`).toBeUndefined();
      }
    });
  }
});
