import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuthFetch } from '../src/auth-fetch.js';
import { fakeClient, ok, resourceServer } from './resource-server.js';

const create = (client: unknown, options?: unknown) =>
  createAuthFetch(client as Parameters<typeof createAuthFetch>[0], options as never);

// A bad argument is the caller's bug: refused when the fetch is made, naming what is wrong, not at every
// call after a token was fetched (or, worse, sent as `Bearer [object Object]`).
describe('createAuthFetch arguments', () => {
  it('passes on the token options it takes, and refuses the others (detailedResponse sent an object)', async () => {
    const api = resourceServer(ok(), ok());
    for (const name of ['detailedResponse', 'cacheMode', 'timeoutInSeconds', 'authorizationParams']) {
      expect(() => create(fakeClient(), { fetch: api.fetch, [name]: true })).toThrow(
        new TypeError(`createAuthFetch: unknown option ${name} (it takes fetch, audience, scope)`),
      );
    }
    const client = fakeClient();
    await create(client, { fetch: api.fetch, audience: 'https://api.test', scope: 'read' })(
      'https://api.test/a',
    );
    await create(client, { fetch: api.fetch, audience: undefined, scope: undefined })('https://api.test/b');
    expect(client.calls).toEqual([{ audience: 'https://api.test', scope: 'read' }, {}]);
    expect(api.sent.map((sent) => sent.authorization)).toEqual(['Bearer token-1', 'Bearer token-1']);
  });

  it.each([
    ['fetch', 42, 'function'],
    ['fetch', 'x', 'function'],
    ['fetch', {}, 'function'],
    ['fetch', null, 'function'],
    ['audience', 42, 'string'],
    ['audience', null, 'string'],
    ['scope', {}, 'string'],
  ])('refuses %s: %o, naming it', (name, value, type) => {
    expect(() => create(fakeClient(), { [name]: value })).toThrow(
      new TypeError(`createAuthFetch: ${name} must be a ${type}`),
    );
  });

  it.each([null, 42, 'x'])('refuses options %o', (options) => {
    expect(() => create(fakeClient(), options)).toThrow(
      new TypeError('createAuthFetch: options must be an object'),
    );
  });

  it.each([null, undefined, 42, 'x', {}, { getAccessToken: 'token' }])('refuses the client %o', (client) => {
    expect(() => create(client)).toThrow(new TypeError('createAuthFetch: client must have getAccessToken()'));
  });

  it('any options object: made exactly when each key is a known one of its type, refused naming the key else', () => {
    const value = fc.oneof(fc.anything(), fc.func(fc.anything()));
    const key = fc.oneof(
      fc.constantFrom('fetch', 'audience', 'scope', 'cacheMode', '__proto__'),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.dictionary(key, value), (options) => {
        const type: Record<string, string> = { fetch: 'function', audience: 'string', scope: 'string' };
        const bad = Object.entries(options).find(
          ([name, given]) =>
            !Object.hasOwn(type, name) || (given !== undefined && typeof given !== type[name]),
        );
        if (!bad) return void expect(create(fakeClient(), options)).toBeTypeOf('function');
        const [name] = bad;
        const message = Object.hasOwn(type, name)
          ? `${name} must be a ${type[name]}`
          : `unknown option ${name} (it takes fetch, audience, scope)`;
        expect(() => create(fakeClient(), options)).toThrow(new TypeError(`createAuthFetch: ${message}`));
      }),
      { numRuns: 300 },
    );
  });
});
