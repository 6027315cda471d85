import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dpop, memoryKeyStore } from '../src/dpop.js';
import { fakeIndexedDB } from './fake-indexeddb.js';

const jwkOf = (proof: string) =>
  JSON.parse(Buffer.from(proof.split('.')[0]!, 'base64url').toString('utf8')).jwk as JsonWebKey;
const jtiOf = (proof: string) =>
  JSON.parse(Buffer.from(proof.split('.')[1]!, 'base64url').toString('utf8')).jti as string;

/** The runtime's WebCrypto, handed in as `crypto`, recording the key pairs it generates and the random draws. */
function recordingCrypto() {
  const real = webcrypto.subtle as unknown as SubtleCrypto;
  const generated: CryptoKeyPair[] = [];
  const draws: Uint8Array[] = [];
  const subtle = {
    exportKey: real.exportKey.bind(real),
    digest: real.digest.bind(real),
    sign: real.sign.bind(real),
    generateKey: async (...args: Parameters<SubtleCrypto['generateKey']>) => {
      const pair = (await real.generateKey(...args)) as CryptoKeyPair;
      generated.push(pair);
      return pair;
    },
  } as unknown as SubtleCrypto;
  const getRandomValues = <T extends ArrayBufferView | null>(bytes: T): T => {
    draws.push(webcrypto.getRandomValues(bytes as unknown as Uint8Array));
    return bytes;
  };
  return {
    crypto: { subtle, getRandomValues } as Pick<Crypto, 'subtle' | 'getRandomValues'>,
    generated,
    draws,
  };
}

describe('the DPoP key pair, where it lives', () => {
  it('is kept in IndexedDB when one is given, so the next page load signs with the same key', async () => {
    const { indexedDB, databases } = fakeIndexedDB();
    const url = 'https://api.test/things';
    const first = await dpop({ indexedDB }).createProof({ method: 'GET', url });
    const stored = databases.get('grantflow-dpop')?.get('keys')?.get('default') as CryptoKeyPair;
    expect(stored.privateKey.extractable).toBe(false);
    const reloaded = await dpop({ indexedDB }).createProof({ method: 'GET', url });
    expect(jwkOf(reloaded)).toEqual(jwkOf(first));
  });

  it('is kept in memory without IndexedDB: each instance (each page load) has its own', async () => {
    const url = 'https://api.test/things';
    const [a, b] = await Promise.all([dpop(), dpop()].map((m) => m.createProof({ method: 'GET', url })));
    expect(jwkOf(a!).x).not.toBe(jwkOf(b!).x);
  });
});

describe('the DPoP key pair, how it is made', () => {
  it('is generated once by the crypto given, however many proofs, one after another or at once', async () => {
    const { crypto, generated } = recordingCrypto();
    const keyStore = memoryKeyStore();
    const module = dpop({ crypto, keyStore });
    const proof = () => module.createProof({ method: 'GET', url: 'https://api.test/things' });
    const atOnce = await Promise.all([proof(), proof(), proof()]);
    const later = [await proof(), await proof()];
    expect(generated).toHaveLength(1);
    expect(await keyStore.get('default')).toBe(generated[0]);
    const jwk = jwkOf(atOnce[0]!);
    for (const each of [...atOnce, ...later]) expect(jwkOf(each)).toEqual(jwk);

    await module.reset();
    await Promise.all([proof(), proof()]);
    expect(generated).toHaveLength(2);
    expect(await keyStore.get('default')).toBe(generated[1]);
  });

  it('is not made for a proof refused for a URL without an origin', async () => {
    const { crypto, generated } = recordingCrypto();
    const keyStore = memoryKeyStore();
    const proof = dpop({ crypto, keyStore }).createProof({ method: 'GET', url: '/things', nonce: 'n1' });
    await expect(proof).rejects.toBeInstanceOf(TypeError);
    expect(generated).toEqual([]);
    expect(await keyStore.get('default')).toBeUndefined();
  });

  it("takes each proof's jti from 16 random bytes of the crypto given", async () => {
    const { crypto, draws } = recordingCrypto();
    const module = dpop({ crypto });
    const jtis = [];
    for (let i = 0; i < 3; i += 1) {
      jtis.push(jtiOf(await module.createProof({ method: 'GET', url: 'https://api.test/things' })));
    }
    expect(draws.map((bytes) => bytes.length)).toEqual([16, 16, 16]);
    expect(jtis).toEqual(draws.map((bytes) => Buffer.from(bytes).toString('base64url')));
  });
});
