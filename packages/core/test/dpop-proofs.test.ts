import { createHash, createPublicKey, verify, webcrypto } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuthClient } from '../src/index.js';
import { createDpopProof, dpop, memoryKeyStore } from '../src/dpop.js';

const decode = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

function parse(proof: string) {
  const [header, payload, signature] = proof.split('.') as [string, string, string];
  return { header: decode(header), payload: decode(payload), signature, input: `${header}.${payload}` };
}

function verifies(proof: string): boolean {
  const { header, input, signature } = parse(proof);
  const key = createPublicKey({ key: header.jwk, format: 'jwk' });
  return verify(
    'sha256',
    Buffer.from(input),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
}

const thumbprint = (jwk: { crv: string; kty: string; x: string; y: string }) =>
  createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
    .digest('base64url');

const answer = (
  status: number,
  headers: Record<string, string>,
  body?: unknown,
  url = 'https://idp.test/oauth/token',
) => ({
  status,
  headers: new Headers(headers),
  body,
  url,
});

describe('DPoP proofs (RFC 9449 §4.2)', () => {
  it('are ES256 JWTs with the public key only, htm, htu without query and fragment, iat, a unique jti', async () => {
    const module = dpop({ now: () => 1_700_000_000_500 });
    const proof = await module.createProof({ method: 'post', url: 'https://idp.test/oauth/token?x=1#f' });
    const { header, payload } = parse(proof);
    expect(header).toEqual({
      typ: 'dpop+jwt',
      alg: 'ES256',
      jwk: { kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) },
    });
    expect(payload).toEqual({
      jti: expect.any(String),
      htm: 'POST',
      htu: 'https://idp.test/oauth/token',
      iat: 1_700_000_000,
    });
    expect(verifies(proof)).toBe(true);
    const again = parse(await module.createProof({ method: 'POST', url: 'https://idp.test/oauth/token' }));
    expect(again.payload.jti).not.toBe(payload.jti);
    expect(again.header.jwk).toEqual(header.jwk);
  });

  it('carry ath, the SHA-256 of the access token, for resource requests; other methods as sent', async () => {
    const { payload } = parse(
      await dpop().createProof({ method: 'PATCH', url: 'https://api.test/a', accessToken: 'tok' }),
    );
    expect(payload.ath).toBe(createHash('sha256').update('tok').digest('base64url'));
    expect(payload.htm).toBe('PATCH');
  });
});

describe("a proof's htm", () => {
  // Any method token, and the standard ones in any letter case: fetch upper-cases DELETE, GET, HEAD,
  // OPTIONS, POST and PUT, not PATCH (CONNECT, TRACE, TRACK: forbidden).
  const method = fc
    .oneof(
      fc.mixedCase(fc.constantFrom('delete', 'get', 'head', 'options', 'post', 'put', 'patch')),
      fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/),
    )
    .filter((name) => !['CONNECT', 'TRACE', 'TRACK'].includes(name.toUpperCase()));

  it('names the method fetch sends (RFC 9449 §4.3: htm matches the request), in any letter case', async () => {
    const module = dpop();
    const url = 'https://api.test/things';
    await fc.assert(
      fc.asyncProperty(method, async (name) => {
        const { payload } = parse(await module.createProof({ method: name, url }));
        expect(payload.htm).toBe(new Request(url, { method: name }).method);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the DPoP key pair', () => {
  it('is non-extractable, one per key name, kept in the store across instances, new after reset', async () => {
    const keyStore = memoryKeyStore();
    const first = dpop({ keyStore, keyName: 'client-a' });
    const jwk = parse(await first.createProof({ method: 'GET', url: 'https://api.test/' })).header.jwk;
    const pair = await keyStore.get('client-a');
    await expect(
      webcrypto.subtle.exportKey('jwk', pair!.privateKey as webcrypto.CryptoKey),
    ).rejects.toThrow();
    expect(pair!.privateKey.extractable).toBe(false);

    const reloaded = dpop({ keyStore, keyName: 'client-a' });
    expect(parse(await reloaded.createProof({ method: 'GET', url: 'https://api.test/' })).header.jwk).toEqual(
      jwk,
    );
    const other = dpop({ keyStore, keyName: 'client-b' });
    expect(
      thumbprint(parse(await other.createProof({ method: 'GET', url: 'https://api.test/' })).header.jwk),
    ).not.toBe(thumbprint(jwk));

    await reloaded.reset();
    expect(await keyStore.get('client-a')).toBeUndefined();
    const rotated = parse(await reloaded.createProof({ method: 'GET', url: 'https://api.test/' })).header.jwk;
    expect(thumbprint(rotated)).not.toBe(thumbprint(jwk));
  });

  it('keeps the first key stored when two instances create one at once (two tabs)', async () => {
    const keyStore = memoryKeyStore();
    const [a, b] = [dpop({ keyStore }), dpop({ keyStore })];
    const proofs = await Promise.all(
      [a, b].map((m) => m.createProof({ method: 'GET', url: 'https://api.test/' })),
    );
    expect(parse(proofs[0]!).header.jwk).toEqual(parse(proofs[1]!).header.jwk);
  });
});

describe('DPoP server nonces (RFC 9449 §8, §9)', () => {
  it('retries once when the token endpoint asks for a nonce, and sends it from then on, per origin', async () => {
    const module = dpop();
    expect(module.retry(answer(400, { 'DPoP-Nonce': 'n1' }, { error: 'use_dpop_nonce' }))).toBe(true);
    expect(module.retry(answer(400, { 'DPoP-Nonce': 'n1' }, { error: 'use_dpop_nonce' }))).toBe(false);
    const proof = (url: string) =>
      module.createProof({ method: 'POST', url }).then((p) => parse(p).payload.nonce);
    expect(await proof('https://idp.test/oauth/token')).toBe('n1');
    expect(await proof('https://api.test/things')).toBeUndefined();
  });

  it('retries once on a resource server 401 use_dpop_nonce, and follows a nonce handed out with a success', async () => {
    const module = dpop();
    const url = 'https://api.test/things';
    const challenge = { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce", algs="ES256"', 'DPoP-Nonce': 'a1' };
    expect(module.retry(answer(401, challenge, undefined, url))).toBe(true);
    expect(module.retry(answer(200, { 'DPoP-Nonce': 'a2' }, undefined, url))).toBe(false);
    expect(parse(await module.createProof({ method: 'GET', url })).payload.nonce).toBe('a2');
    expect(
      module.retry(
        answer(401, { 'WWW-Authenticate': 'DPoP error="invalid_token"', 'DPoP-Nonce': 'a3' }, undefined, url),
      ),
    ).toBe(false);
  });
});

describe('DPoP server nonces: what is and is not a request for one', () => {
  const url = 'https://api.test/things';
  const nonceOf = async (module: ReturnType<typeof dpop>, at = url) =>
    parse(await module.createProof({ method: 'GET', url: at })).payload.nonce;

  it('a 400 only with use_dpop_nonce in a JSON body', () => {
    const module = dpop();
    expect(module.retry(answer(400, { 'DPoP-Nonce': 'n1' }, { error: 'invalid_grant' }))).toBe(false);
    expect(module.retry(answer(400, { 'DPoP-Nonce': 'n2' }, undefined))).toBe(false);
    expect(module.retry(answer(400, { 'DPoP-Nonce': 'n3' }, 'use_dpop_nonce'))).toBe(false);
  });

  it('a 401 only with a DPoP challenge saying use_dpop_nonce, among any others', () => {
    const module = dpop();
    const challenged = (challenge: string, nonce: string, status = 401) =>
      module.retry(answer(status, { 'WWW-Authenticate': challenge, 'DPoP-Nonce': nonce }, undefined, url));
    expect(challenged('Bearer error="use_dpop_nonce"', 'b1')).toBe(false);
    expect(challenged('Bearer realm="api", DPoP error="use_dpop_nonce"', 'b2')).toBe(true);
    expect(challenged('DPoP error="use_dpop_nonce"', 'b3', 403)).toBe(false);
  });

  it('never the same nonce twice, nor an answer without a nonce or a URL; remembered per origin', async () => {
    const module = dpop();
    const asks = { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"' };
    expect(module.retry(answer(401, asks, undefined, url))).toBe(false);
    expect(
      module.retry({
        status: 401,
        headers: new Headers({ ...asks, 'DPoP-Nonce': 'x' }),
        body: undefined,
        url: undefined,
      }),
    ).toBe(false);
    expect(await nonceOf(module)).toBeUndefined();
    expect(module.retry(answer(401, { ...asks, 'DPoP-Nonce': 'n1' }, undefined, url))).toBe(true);
    expect(module.retry(answer(401, { ...asks, 'DPoP-Nonce': 'n1' }, undefined, url))).toBe(false);
    expect(module.retry(answer(401, { ...asks, 'DPoP-Nonce': 'n1' }, undefined, 'not a url'))).toBe(false);
    expect(await nonceOf(module)).toBe('n1');
    expect(await nonceOf(module, 'https://other.test/')).toBeUndefined();
    await expect(module.createProof({ method: 'GET', url: 'relative/path' })).rejects.toThrow();
  });

  it('forgotten at reset(), with the key', async () => {
    const keyStore = memoryKeyStore();
    const module = dpop({ keyStore });
    const asks = { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': 'n1' };
    expect(module.retry(answer(401, asks, undefined, url))).toBe(true);
    expect(await nonceOf(module)).toBe('n1');
    expect(await keyStore.get('default')).toBeDefined();
    await module.reset();
    expect(await keyStore.get('default')).toBeUndefined();
    expect(await nonceOf(module)).toBeUndefined();
  });
});

describe('createDpopProof', () => {
  const url = 'https://api.test/things';
  const options = {
    issuer: 'https://idp.test/',
    clientId: 'app',
    redirectUri: 'https://app.test/callback',
    environment: { sessionStorage: undefined, localStorage: undefined },
  };
  const message = 'createDpopProof(): the client was created without `proof: dpop()`.';

  it('needs a client created with the DPoP module', () => {
    const client = createAuthClient(options);
    for (const target of [client, {}]) {
      expect(() => createDpopProof(target, { method: 'GET', url })).toThrow(new TypeError(message));
    }
    client.destroy();
  });

  it("as the client's method, signs the app's request with the client's key: ES256, htm, htu, ath, jti, iat", async () => {
    const client = createAuthClient({
      ...options,
      proof: dpop({ keyStore: memoryKeyStore() }),
      now: () => 1_700_000_000_900,
    });
    const accessToken = 'the-access-token';
    const proof = await client.createDpopProof({ method: 'get', url: `${url}?page=2#top`, accessToken });
    const { header, payload } = parse(proof);
    expect(verifies(proof)).toBe(true);
    expect(header).toEqual({
      typ: 'dpop+jwt',
      alg: 'ES256',
      jwk: { kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) },
    });
    expect(payload).toEqual({
      jti: expect.stringMatching(/^[\w-]{16,}$/),
      htm: 'GET',
      htu: url,
      iat: 1_700_000_000,
      ath: createHash('sha256').update(accessToken).digest('base64url'),
    });
    const again = parse(await client.createDpopProof({ method: 'POST', url }));
    expect(again.header.jwk).toEqual(header.jwk);
    expect(again.payload.jti).not.toBe(payload.jti);
    expect(again.payload).not.toHaveProperty('ath');
    expect(parse(await createDpopProof(client, { method: 'GET', url })).header.jwk).toEqual(header.jwk);
    client.destroy();
  });

  it('carries a nonce the app was handed (RFC 9449 §9) and keeps it for later proofs to that origin only', async () => {
    const client = createAuthClient({ ...options, proof: dpop({ keyStore: memoryKeyStore() }) });
    expect(parse(await client.createDpopProof({ method: 'GET', url })).payload).not.toHaveProperty('nonce');
    const given = parse(await client.createDpopProof({ method: 'GET', url, nonce: 'n-1' }));
    expect(given.payload.nonce).toBe('n-1');
    const later = parse(await client.createDpopProof({ method: 'POST', url: 'https://api.test/other' }));
    expect(later.payload.nonce).toBe('n-1');
    const elsewhere = parse(await client.createDpopProof({ method: 'GET', url: 'https://idp.test/token' }));
    expect(elsewhere.payload).not.toHaveProperty('nonce');
    client.destroy();
  });

  it("as the client's method, rejects with a TypeError when the client has no proof module that makes proofs", async () => {
    const bearerOnly = { tokenType: 'Bearer', headers: async () => ({}), retry: () => false };
    for (const client of [createAuthClient(options), createAuthClient({ ...options, proof: bearerOnly })]) {
      await expect(client.createDpopProof({ method: 'GET', url })).rejects.toThrow(
        new TypeError('createDpopProof needs createAuthClient({ proof: dpop() })'),
      );
      client.destroy();
    }
  });
});
