import { describe, expect, it } from 'vitest';
import { offlineClient } from './support.js';

/** A client with a stored session and a refresh token for any API; `sent` holds each request's body. */
function signedIn() {
  const sent: string[] = [];
  const answer = async () => Response.json({ access_token: 'a', token_type: 'Bearer', expires_in: 300 });
  const world = offlineClient(
    { claims: {}, refresh_tokens: { '': 'rt', '[object Object]': 'rt', 'https://api.example': 'rt' } },
    answer,
    {
      useRefreshTokens: true,
      fetch: async (_url, init) => (sent.push(String(init?.body)), answer()),
    },
  );
  return { ...world, sent };
}

// A wrong type is the caller's bug: `audience: {}` was sent to the token endpoint as `[object Object]`,
// and `cacheMode: 'nope'` or a list as `scope` were quietly taken as no option at all.
describe('getAccessToken and checkSession options of the wrong type', () => {
  it.each([
    ['audience', { audience: {} }, 'a string'],
    [
      'authorizationParams',
      { authorizationParams: { audience: { a: 1 } } },
      '{ audience?: string, scope?: string, [parameter]: string | number | boolean }',
    ],
    // `null` is no audience: Auth0's SDK would send it as the string "null".
    [
      'authorizationParams',
      { authorizationParams: { audience: null } },
      '{ audience?: string, scope?: string, [parameter]: string | number | boolean }',
    ],
    [
      'authorizationParams',
      { authorizationParams: { scope: null } },
      '{ audience?: string, scope?: string, [parameter]: string | number | boolean }',
    ],
    ['scope', { scope: ['read', 'write'] }, 'a string'],
    ['cacheMode', { cacheMode: 'nope' }, "'on', 'off' or 'cache-only'"],
    ['timeoutInSeconds', { timeoutInSeconds: -1 }, 'a number of seconds > 0 and < 2^31 ms'],
  ])('%s: refused with a TypeError naming it, before any request', async (name, options, what) => {
    const { client, sent } = signedIn();
    await client.checkSession();
    sent.length = 0;
    const refusal = new TypeError(`${name} must be ${what}`);
    await expect(client.getAccessToken(options as never)).rejects.toThrow(refusal);
    await expect(client.checkSession(options as never)).rejects.toThrow(refusal);
    expect(sent).toEqual([]);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
  });

  it('takes each of the right type, and undefined for any', async () => {
    const { client } = signedIn();
    const options = {
      audience: 'https://api.example',
      scope: 'read',
      cacheMode: 'off',
      timeoutInSeconds: 5,
      authorizationParams: { audience: undefined, scope: 'write' },
    } as const;
    await expect(client.getAccessToken(options)).resolves.toBe('a');
    await expect(client.getAccessToken({ audience: undefined, cacheMode: undefined })).resolves.toBe('a');
    for (const cacheMode of ['on', 'off', 'cache-only'] as const) {
      await expect(client.getAccessToken({ cacheMode })).resolves.toBe('a');
    }
  });
});
