import { describe, expect, it } from 'vitest';
import { StorageError } from '../src/index.js';
import { memoryStorage } from '../src/storage.js';
import { OFFLINE_ISSUER, offlineClient } from './support.js';

describe('logout when the token storage cannot be read', () => {
  it('still ends the session and leaves for the logout URL, revoking nothing', async () => {
    const stored = memoryStorage();
    let readable = true;
    const navigations: string[] = [];
    const { client, requests } = offlineClient({}, async () => new Response(null, { status: 200 }), {
      endpoints: {
        authorization: `${OFFLINE_ISSUER}authorize`,
        token: `${OFFLINE_ISSUER}token`,
        endSession: `${OFFLINE_ISSUER}logout`,
        revocation: `${OFFLINE_ISSUER}revoke`,
      },
      storage: {
        get: (key) => {
          if (!readable) throw new Error('storage blocked');
          return stored.get(key);
        },
        set: (key, value) => stored.set(key, value),
        remove: (key) => stored.remove(key),
      },
      navigate: (url) => void navigations.push(url),
    });
    readable = false;
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(StorageError);
    await client.logout();
    expect(navigations.map((url) => url.split('?')[0])).toEqual([`${OFFLINE_ISSUER}logout`]);
    expect(requests).toEqual([]);
    expect(client.getSnapshot().status).toBe('unauthenticated');
    client.destroy();
  });
});
