import { describe, expect, it } from 'vitest';
import { dpop, memoryKeyStore, type DpopKeyStore } from '../src/dpop.js';
import { StorageError } from '../src/index.js';
import { offlineClient } from './support.js';

const url = 'https://api.test/items';
const ecdsa = (namedCurve: string) =>
  crypto.subtle.generateKey({ name: 'ECDSA', namedCurve }, false, ['sign', 'verify']);
/** A store that gives `value` for every name. */
const giving = (value: unknown): DpopKeyStore => ({
  get: async () => value as CryptoKeyPair,
  add: async () => undefined,
  delete: async () => undefined,
});

/** What a failed promise rejected with. */
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('it resolved'),
    (error: unknown) => error,
  );

describe('a keyStore that gives no ES256 key pair', () => {
  it.each<[string, () => Promise<unknown>]>([
    ['an empty object', async () => ({})],
    ['a string', async () => 'key'],
    [
      'a pair of HMAC keys',
      async () => {
        const key = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
        return { privateKey: key, publicKey: key };
      },
    ],
    [
      'a P-256 pair swapped',
      async () => {
        const { privateKey, publicKey } = await ecdsa('P-256');
        return { privateKey: publicKey, publicKey: privateKey };
      },
    ],
    ['a P-384 pair (ES384, not ES256)', () => ecdsa('P-384')],
    ['a pair of plain objects', async () => ({ privateKey: {}, publicKey: {} })],
    [
      'P-256 look-alikes without usages',
      async () => {
        const like = { algorithm: { namedCurve: 'P-256' }, extractable: true };
        return { privateKey: like, publicKey: like };
      },
    ],
    [
      'a P-256 public key twice (nothing that signs)',
      async () => {
        const { publicKey } = await ecdsa('P-256');
        return { privateKey: publicKey, publicKey };
      },
    ],
    [
      'a pair whose public key cannot be exported',
      async () => {
        const { privateKey, publicKey } = await ecdsa('P-256');
        const jwk = await crypto.subtle.exportKey('jwk', publicKey);
        const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
        return {
          privateKey,
          publicKey: await crypto.subtle.importKey('jwk', jwk, algorithm, false, ['verify']),
        };
      },
    ],
  ])('fails the proof with a StorageError naming keyStore: %s', async (_, make) => {
    const error = await failureOf(
      dpop({ keyStore: giving(await make()) }).createProof({ method: 'GET', url }),
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({
      code: 'storage_error',
      message: 'dpop(): keyStore.get gave no ES256 key pair',
    });
  });

  it('takes null as no pair, as undefined', async () => {
    const kept = memoryKeyStore();
    const keyStore = { ...kept, get: async (name: string) => (await kept.get(name)) ?? null } as DpopKeyStore;
    await expect(dpop({ keyStore }).createProof({ method: 'GET', url })).resolves.toEqual(expect.any(String));
  });
});

describe('a keyStore that rejects', () => {
  it.each(['get', 'add'] as const)(
    'fails the proof with a StorageError naming keyStore.%s, its error the cause',
    async (operation) => {
      const cause = new Error('disk full');
      const keyStore = { ...memoryKeyStore(), [operation]: () => Promise.reject(cause) };
      const error = await failureOf(dpop({ keyStore }).createProof({ method: 'GET', url }));
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ message: `dpop(): keyStore.${operation} failed`, cause });
    },
  );

  it('fails a reset (logout) with a StorageError naming keyStore.delete', async () => {
    const cause = new Error('locked');
    const keyStore = { ...memoryKeyStore(), delete: () => Promise.reject(cause) };
    const error = await failureOf(dpop({ keyStore }).reset());
    expect(error).toMatchObject({ name: 'StorageError', message: 'dpop(): keyStore.delete failed', cause });
  });

  it('keeps the session: nothing is sent, and the refresh token is used once the store works again', async () => {
    let broken: DpopKeyStore | undefined = giving({});
    const kept = memoryKeyStore();
    const keyStore: DpopKeyStore = {
      get: (name) => (broken ?? kept).get(name),
      add: (name, pair) => (broken ?? kept).add(name, pair),
      delete: (name) => kept.delete(name),
    };
    const bodies: string[] = [];
    const { client, requests, storage } = offlineClient(
      { claims: {}, refresh_tokens: { '': 'rt' } },
      async () => Response.json({ access_token: 'fresh', token_type: 'DPoP', expires_in: 300 }),
      {
        useRefreshTokens: true,
        proof: dpop({ keyStore }),
        fetch: async (_, init) => {
          bodies.push(String(init?.body));
          return Response.json({ access_token: 'fresh', token_type: 'DPoP', expires_in: 300 });
        },
      },
    );
    await client.checkSession();
    expect(client.getSnapshot()).toMatchObject({ isAuthenticated: true, error: expect.any(StorageError) });
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(StorageError);
    expect(bodies).toEqual([]);
    expect(requests).toEqual([]);
    expect(JSON.parse(String(storage.get('grantflow.app.session'))).refresh_tokens).toEqual({ '': 'rt' });

    broken = undefined;
    await expect(client.getAccessToken()).resolves.toBe('fresh');
    expect(new URLSearchParams(bodies[0]).get('refresh_token')).toBe('rt');
    client.destroy();
  });
});
