import { describe, expect, it } from 'vitest';
import { createAuthClient } from '../src/client.js';
import { createDpopProof, dpop } from '../src/dpop.js';
import { StorageError } from '../src/errors.js';
import { fakeIndexedDB } from './fake-indexeddb.js';

const jwkOf = (proof: string): unknown =>
  JSON.parse(Buffer.from(proof.split('.')[0]!, 'base64url').toString('utf8')).jwk;

/** A page load: a new client with a new `dpop()` module, over the browser's IndexedDB (or none). */
function pageLoad(clientId: string, indexedDB: IDBFactory | undefined) {
  return createAuthClient({
    issuer: 'https://idp.example/',
    clientId,
    redirectUri: 'https://app.example/callback',
    endpoints: { authorization: 'https://idp.example/authorize', token: 'https://idp.example/token' },
    proof: dpop(),
    environment: { indexedDB, sessionStorage: undefined, localStorage: undefined },
  });
}

const proofOf = (client: object) => createDpopProof(client, { method: 'GET', url: 'https://api.test/a' });

describe('dpop() with no options, given to a client', () => {
  it("keeps the key pair in the environment's IndexedDB under the client's ID: it survives a page load", async () => {
    const { indexedDB, databases } = fakeIndexedDB();
    const first = jwkOf(await proofOf(pageLoad('app-a', indexedDB)));
    const again = jwkOf(await proofOf(pageLoad('app-a', indexedDB)));
    expect(again).toEqual(first);
    expect([...databases.get('grantflow-dpop')!.get('keys')!.keys()]).toEqual(['app-a']);
  });

  it('gives each client of the origin its own key pair', async () => {
    const { indexedDB } = fakeIndexedDB();
    const a = jwkOf(await proofOf(pageLoad('app-a', indexedDB)));
    const b = jwkOf(await proofOf(pageLoad('app-b', indexedDB)));
    expect(b).not.toEqual(a);
  });

  it('keeps it in memory where there is no IndexedDB (Node): a new module, a new key', async () => {
    const a = jwkOf(await proofOf(pageLoad('app-a', undefined)));
    const b = jwkOf(await proofOf(pageLoad('app-a', undefined)));
    expect(b).not.toEqual(a);
  });

  it('takes over the pair an earlier release kept under `default`, so its bound tokens stay usable', async () => {
    const { indexedDB, databases } = fakeIndexedDB();
    const earlier = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ]);
    databases.set('grantflow-dpop', new Map([['keys', new Map([['default', earlier]])]]));
    const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', earlier.publicKey);
    expect(jwkOf(await proofOf(pageLoad('app-a', indexedDB)))).toEqual({ kty, crv, x, y });
    const keys = databases.get('grantflow-dpop')!.get('keys')!;
    expect([...keys.entries()]).toEqual([['app-a', earlier]]);
  });

  it("fails a proof as a StorageError, IndexedDB's error its cause, where IndexedDB is refused", async () => {
    const { indexedDB, fail } = fakeIndexedDB();
    const refused = new DOMException('The operation is insecure.', 'SecurityError');
    fail.openThrows = refused;
    const failure: unknown = await proofOf(pageLoad('app-a', indexedDB)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageError);
    expect(failure).toMatchObject({ code: 'storage_error', cause: refused });
  });

  it('keeps a key name and store given to it', async () => {
    const { indexedDB, databases } = fakeIndexedDB();
    const other = fakeIndexedDB();
    const client = createAuthClient({
      issuer: 'https://idp.example/',
      clientId: 'app-a',
      redirectUri: 'https://app.example/callback',
      endpoints: { authorization: 'https://idp.example/authorize', token: 'https://idp.example/token' },
      proof: dpop({ keyName: 'mine', indexedDB: other.indexedDB }),
      environment: { indexedDB, sessionStorage: undefined, localStorage: undefined },
    });
    await proofOf(client);
    expect(databases.size).toBe(0);
    expect([...other.databases.get('grantflow-dpop')!.get('keys')!.keys()]).toEqual(['mine']);
  });
});
