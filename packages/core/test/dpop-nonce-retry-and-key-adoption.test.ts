import { describe, expect, it } from 'vitest';
import { createAuthClient } from '../src/client.js';
import { createDpopProof, dpop, memoryKeyStore, type DpopKeyStore } from '../src/dpop.js';

const claimsOf = (proof: string) =>
  JSON.parse(Buffer.from(proof.split('.')[1]!, 'base64url').toString('utf8')) as { nonce?: unknown };
const jwkOf = (proof: string): unknown =>
  JSON.parse(Buffer.from(proof.split('.')[0]!, 'base64url').toString('utf8')).jwk;
const publicJwk = async (pair: CryptoKeyPair) => {
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  return { kty, crv, x, y };
};
const keyPair = () =>
  crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);

const url = 'https://api.test/items';
const useNonce = (nonce: string) =>
  new Headers({ 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': nonce });

describe("a refused proof and the server's nonce (RFC 9449 §9)", () => {
  it('is sent again once with a new nonce, and not again when the proof already carried it', async () => {
    const proof = dpop({ keyStore: memoryKeyStore() });
    const first = await proof.createProof({ method: 'GET', url });
    expect(claimsOf(first).nonce).toBeUndefined();
    expect(proof.retry({ status: 401, headers: useNonce('N1'), url, sent: { DPoP: first } })).toBe(true);
    const second = await proof.createProof({ method: 'GET', url });
    expect(claimsOf(second).nonce).toBe('N1');
    // The server named the very nonce this proof carried: asking again could only loop.
    expect(proof.retry({ status: 401, headers: useNonce('N1'), url, sent: { DPoP: second } })).toBe(false);
  });

  it('reads a sent proof it cannot decode as one without a nonce', async () => {
    const proof = dpop({ keyStore: memoryKeyStore() });
    expect(proof.retry({ status: 401, headers: useNonce('N1'), url, sent: { DPoP: 'N1' } })).toBe(true);
  });
});

const clientWith = (proof: ReturnType<typeof dpop>) =>
  createAuthClient({
    issuer: 'https://idp.example/',
    clientId: 'app-a',
    redirectUri: 'https://app.example/callback',
    endpoints: { authorization: 'https://idp.example/authorize', token: 'https://idp.example/token' },
    proof,
    environment: { indexedDB: undefined, sessionStorage: undefined, localStorage: undefined },
  });

describe('a key pair an earlier release kept under `default`', () => {
  it('stays where it is for a dpop() given a key name of its own', async () => {
    const keyStore = memoryKeyStore();
    const earlier = await keyPair();
    await keyStore.add('default', earlier);
    const made = await dpop({ keyName: 'mine', keyStore }).createProof({ method: 'GET', url });
    expect(jwkOf(made)).not.toEqual(await publicJwk(earlier));
    expect(await keyStore.get('default')).toBe(earlier);
  });

  it("gives way to the pair another tab stored under the client's name while it was being moved", async () => {
    const earlier = await keyPair();
    const otherTabs = await keyPair();
    const kept = memoryKeyStore();
    await kept.add('default', earlier);
    // The other tab's add lands just before this one's: this tab's is refused, as IndexedDB's add is.
    const keyStore: DpopKeyStore = {
      get: (name) => kept.get(name),
      add: async (name, pair) => {
        await kept.add(name, otherTabs);
        await kept.add(name, pair);
      },
      delete: (name) => kept.delete(name),
    };
    const made = await createDpopProof(clientWith(dpop({ keyStore })), { method: 'GET', url });
    expect(jwkOf(made)).toEqual(await publicJwk(otherTabs));
  });
});
