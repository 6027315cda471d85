import { describe, expect, it } from 'vitest';
import { createAuthClient } from '../src/client.js';
import { InvalidResponseError, StorageError } from '../src/errors.js';
import { memoryStorage, type StorageAdapter } from '../src/storage.js';

const base = {
  issuer: 'https://idp.example/',
  clientId: 'app',
  redirectUri: 'https://app.example/callback',
  endpoints: { authorization: 'https://idp.example/authorize', token: 'https://idp.example/token' },
  navigate: () => undefined,
  environment: { sessionStorage: undefined, localStorage: undefined },
};

/** A storage whose `operation` fails with `failure`, synchronously or as a rejection. */
function failing(operation: keyof StorageAdapter, failure: Error, async = false): StorageAdapter {
  const inner = memoryStorage();
  return {
    ...inner,
    [operation]: () => {
      if (async) return Promise.reject(failure);
      throw failure;
    },
  } as StorageAdapter;
}

describe('a failing custom storage', () => {
  it.each([
    ['throws', false],
    ['rejects', true],
  ])(
    'that %s is a StorageError with the cause, in the rejection and in the snapshot',
    async (_name, async) => {
      const cause = new Error('quota exceeded');
      const client = createAuthClient({ ...base, transactionStorage: failing('set', cause, async) });
      const attempt = client.loginWithRedirect();
      await expect(attempt).rejects.toBeInstanceOf(StorageError);
      await expect(attempt).rejects.toMatchObject({ code: 'storage_error', cause });
      expect(client.getSnapshot().error).toMatchObject({ code: 'storage_error', cause });
      client.destroy();
    },
  );

  it('reading the session is a StorageError too, not an empty session', async () => {
    const cause = new Error('disk gone');
    const client = createAuthClient({ ...base, storage: failing('get', cause) });
    await expect(client.getAccessToken()).rejects.toMatchObject({ code: 'storage_error', cause });
    await expect(client.checkSession()).rejects.toBeInstanceOf(StorageError);
    expect(client.getSnapshot()).toMatchObject({ status: 'error', error: { code: 'storage_error' } });
    client.destroy();
  });
});

describe('a foreign error', () => {
  it('reaches the snapshot typed, keeping what was thrown as its cause', async () => {
    const cause = new RangeError('no entropy');
    const client = createAuthClient({
      ...base,
      random: () => {
        throw cause;
      },
    });
    await expect(client.loginWithRedirect()).rejects.toBe(cause);
    const { error } = client.getSnapshot();
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ message: 'no entropy', cause });
    client.destroy();
  });
});
