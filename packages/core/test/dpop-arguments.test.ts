import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuthFetch } from '../src/auth-fetch.js';
import {
  createDpopProof,
  dpop,
  memoryKeyStore,
  type DpopOptions,
  type DpopProofRequest,
} from '../src/dpop.js';
import { fakeClient, ok, resourceServer, unauthorized } from './resource-server.js';

const payloadOf = (proof: string) =>
  JSON.parse(Buffer.from(proof.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const url = 'https://api.test/things';

/** A module whose key store counts the key pairs it was asked to keep: a refused request makes none. */
function counted(options: DpopOptions = {}) {
  const store = memoryKeyStore();
  const added: string[] = [];
  const module = dpop({
    ...options,
    keyStore: {
      ...store,
      add: async (name, pair) => {
        added.push(name);
        await store.add(name, pair);
      },
    },
  });
  return { module, added };
}

const refusal = (field: string) => new RegExp(`^createDpopProof: ${field} must be `);

describe('dpop() options', () => {
  it.each([
    ['options', null],
    ['options', 42],
    ['keyName', 42],
    ['keyName', ''],
    ['keyStore', {}],
    ['keyStore', 42],
    ['indexedDB', {}],
    ['crypto', {}],
    ['crypto', { getRandomValues: () => undefined }],
    ['now', 'x'],
  ])('refuse %s: %o when the module is made, naming it', (name, value) => {
    const options = name === 'options' ? value : { [name]: value };
    expect(() => dpop(options as DpopOptions)).toThrow(new RegExp(`^dpop\\(\\): ${name} must be `));
  });

  it.each([
    [null, 'options must be an object'],
    [{ keyName: '' }, 'keyName must be a non-empty string'],
    [{ keyStore: {} }, 'keyStore must be a DpopKeyStore'],
    [{ indexedDB: {} }, 'indexedDB must be an IDBFactory'],
    [{ crypto: {} }, 'crypto must be a Crypto'],
    [{ now: 1 }, 'now must be a function'],
  ])('say what each must be: %o', (options, message) => {
    expect(() => dpop(options as DpopOptions)).toThrow(new TypeError(`dpop(): ${message}`));
  });

  it.each([NaN, Infinity, -Infinity])('a clock giving %s makes no proof (no "iat": null)', async (time) => {
    const { module, added } = counted({ now: () => time });
    await expect(module.createProof({ method: 'GET', url })).rejects.toThrow(
      new TypeError('dpop(): now() must be finite (epoch ms)'),
    );
    expect(added).toEqual([]);
  });
});

/** Each field's rule, written out independently of the module's (RFC 9110 §9.1, RFC 9449 §4.2 and §8.1). */
const valid: Record<string, (value: unknown) => boolean> = {
  method: (value) => typeof value === 'string' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value),
  url: (value) => {
    if (typeof value !== 'string' || !URL.canParse(value)) return false;
    const { protocol, username, password } = new URL(value);
    return ['http:', 'https:'].includes(protocol) && !username && !password;
  },
  accessToken: (value) => value === undefined || (typeof value === 'string' && value !== ''),
  nonce: (value) =>
    value == null || (typeof value === 'string' && value.length <= 1024 && /^[!#-[\]-~]+$/.test(value)),
};

describe('createProof requests', () => {
  it.each<[string, unknown]>([
    ['the request', null],
    ['the request', 'x'],
    ['method', { url }],
    ['method', { method: 42, url }],
    ['method', { method: '', url }],
    ['method', { method: 'GET\r\nX: y', url }],
    ['method', { method: 'GET /', url }],
    ['url', { method: 'GET', url: 42 }],
    ['url', { method: 'GET', url: '/relative' }],
    ['url', { method: 'GET', url: 'data:,hello' }],
    ['url', { method: 'GET', url: 'javascript:alert(1)' }],
    ['url', { method: 'GET', url: 'file:///etc/passwd' }],
    ['url', { method: 'GET', url: 'https://user:secret@api.test/x' }],
    ['url', { method: 'GET', url: 'https://user@api.test/x' }],
    ['accessToken', { method: 'GET', url, accessToken: null }],
    ['accessToken', { method: 'GET', url, accessToken: 42 }],
    ['accessToken', { method: 'GET', url, accessToken: {} }],
    ['accessToken', { method: 'GET', url, accessToken: '' }],
    ['nonce', { method: 'GET', url, nonce: 42 }],
    ['nonce', { method: 'GET', url, nonce: { a: 1 } }],
    ['nonce', { method: 'GET', url, nonce: '' }],
    ['nonce', { method: 'GET', url, nonce: 'a b' }],
    ['nonce', { method: 'GET', url, nonce: 'a"b' }],
  ])('refuse a bad %s (%o) before any key is made', async (field, request) => {
    const { module, added } = counted();
    await expect(module.createProof(request as DpopProofRequest)).rejects.toThrow(refusal(field));
    expect(added).toEqual([]);
  });

  it.each<[unknown, string]>([
    [null, 'the request must be an object'],
    [{ method: 'GET /', url }, 'method must be a method token'],
    // A scheme that merely ends in "http" is no http(s) URL.
    [{ method: 'GET', url: 'xhttp://api.test/x' }, 'url must be an http(s) URL without username or password'],
    [{ method: 'GET', url, accessToken: '' }, 'accessToken must be a non-empty string'],
  ])('say what the field must be: %o', async (request, message) => {
    const { module } = counted();
    await expect(module.createProof(request as DpopProofRequest)).rejects.toThrow(
      new TypeError(`createDpopProof: ${message}`),
    );
  });

  it('refuse a nonce of more than 1024 characters, and take one of 1024', async () => {
    const { module, added } = counted();
    const long = module.createProof({ method: 'GET', url, nonce: 'n'.repeat(1025) });
    await expect(long).rejects.toThrow('createDpopProof: nonce must be 1 to 1024 NQCHAR (RFC 9449)');
    expect(added).toEqual([]);
    const longest = 'n'.repeat(1024);
    expect(payloadOf(await module.createProof({ method: 'GET', url, nonce: longest })).nonce).toBe(longest);
  });

  it("take a null nonce (headers.get('DPoP-Nonce') without one) as none: the origin's nonce stays", async () => {
    const module = dpop();
    await module.createProof({ method: 'GET', url, nonce: 'n-1' });
    const nonce = new Headers().get('DPoP-Nonce');
    expect(payloadOf(await module.createProof({ method: 'GET', url, nonce })).nonce).toBe('n-1');
    expect(payloadOf(await module.createProof({ method: 'GET', url })).nonce).toBe('n-1');
  });

  it('any field of any kind: a proof, or a TypeError naming the field before any key is made', async () => {
    const { module, added } = counted();
    const field = <T>(valid: fc.Arbitrary<T>) => fc.oneof(valid, fc.anything());
    const request = fc.record(
      {
        method: field(fc.stringMatching(/^[A-Za-z!#$%&'*+.^_`|~0-9-]+$/)),
        url: field(fc.webUrl({ withQueryParameters: true, withFragments: true })),
        accessToken: field(fc.string({ minLength: 1 })),
        nonce: field(fc.stringMatching(/^[\x21\x23-\x5b\x5d-\x7e]+$/)),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(request, async (given) => {
        const before = added.length;
        const made = await module
          .createProof(given as DpopProofRequest)
          .then(payloadOf, (error: unknown) => error);
        const bad = Object.entries(valid).filter(([name, ok]) => !ok(given[name as keyof typeof given]));
        if (bad.length) {
          expect(made).toBeInstanceOf(TypeError);
          expect((made as Error).message).toMatch(
            new RegExp(`^createDpopProof: (${bad.map(([name]) => name).join('|')}) must be `),
          );
          expect(added.length).toBe(before);
          return;
        }
        expect(made).not.toBeInstanceOf(Error);
        const payload = made as Record<string, unknown>;
        const htu = new URL(given.url as string);
        htu.search = '';
        htu.hash = '';
        expect(payload).toMatchObject({ htu: htu.href, iat: expect.any(Number) });
        if (given.nonce != null) expect(payload.nonce).toBe(given.nonce);
      }),
      { numRuns: 200 },
    );
  });
});

describe('DPoP-Nonce headers a server sends', () => {
  const asks = (nonce: string) => ({
    status: 400,
    headers: new Headers({ 'DPoP-Nonce': nonce }),
    body: { error: 'use_dpop_nonce' },
    url,
  });

  it.each(['', 'a b', 'a"b', 'a\\b', 'é'])(
    '%o, not a nonce, is ignored: no retry, not kept',
    async (value) => {
      const module = dpop();
      await module.createProof({ method: 'GET', url, nonce: 'n-1' });
      const headers = new Headers();
      headers.set('DPoP-Nonce', value);
      expect(module.retry({ ...asks('x'), headers })).toBe(false);
      expect(payloadOf(await module.createProof({ method: 'GET', url })).nonce).toBe('n-1');
    },
  );

  it.each([1025, 2 ** 20])(
    'one of %d characters (over 1024) is ignored: no retry, not kept',
    async (length) => {
      const module = dpop();
      await module.createProof({ method: 'GET', url, nonce: 'n-1' });
      expect(module.retry(asks('n'.repeat(length)))).toBe(false);
      expect(payloadOf(await module.createProof({ method: 'GET', url })).nonce).toBe('n-1');
      const longest = 'n'.repeat(1024);
      expect(module.retry(asks(longest))).toBe(true);
      expect(payloadOf(await module.createProof({ method: 'GET', url })).nonce).toBe(longest);
    },
  );

  it('an overlong one from an API makes createAuthFetch send once, its proofs without it', async () => {
    const api = resourceServer(
      unauthorized('DPoP error="use_dpop_nonce"', { 'DPoP-Nonce': 'n'.repeat(1025) }),
      ok(),
    );
    const module = dpop();
    const response = await createAuthFetch(fakeClient('t', module), { fetch: api.fetch })(url);
    expect(response.status).toBe(401);
    expect(api.sent).toHaveLength(1);
    expect(payloadOf(await module.createProof({ method: 'GET', url })).nonce).toBeUndefined();
  });

  it('an empty one from an API makes createAuthFetch send once, not retry with nonce ""', async () => {
    const api = resourceServer(unauthorized('DPoP error="use_dpop_nonce"', { 'DPoP-Nonce': '' }), ok());
    const response = await createAuthFetch(fakeClient('t', dpop()), { fetch: api.fetch })(url);
    expect(response.status).toBe(401);
    expect(api.sent).toHaveLength(1);
  });

  it('is not kept for an origin that is no http(s) one', () => {
    const module = dpop();
    expect(module.retry({ ...asks('n-1'), url: 'data:,x' })).toBe(false);
    expect(module.retry({ ...asks('n-1'), url: 'https://user:pw@api.test/' })).toBe(false);
    expect(module.retry(asks('n-1'))).toBe(true);
  });
});

describe('createDpopProof(client, request)', () => {
  it.each([null, undefined])('with the client %s says the client has no dpop() module', (client) => {
    expect(() => createDpopProof(client as never, { method: 'GET', url })).toThrow(
      new TypeError('createDpopProof(): the client was created without `proof: dpop()`.'),
    );
  });
});
