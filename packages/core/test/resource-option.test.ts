import { describe, expect, it } from 'vitest';
import { tokenCacheKey } from '../src/token-cache.js';
import { OFFLINE_NOW, offlineClient } from './support.js';

const API = 'https://api.example/';
const OTHER = 'https://other.example/';

describe('resource instead of audience (RFC 8707)', () => {
  it('refuses both at once, whichever way audience is given', () => {
    const answer = () => Promise.reject(new Error('no request'));
    expect(() => offlineClient({}, answer, { resource: API, audience: OTHER })).toThrow(
      'give audience or resource, not both',
    );
    expect(() =>
      offlineClient({}, answer, { resource: API, authorizationParams: { audience: OTHER } }),
    ).toThrow(TypeError);
  });

  it('sends the audience a call names as resource too, and keeps its tokens apart', async () => {
    const bodies: URLSearchParams[] = [];
    const { client } = offlineClient(
      {
        claims: {},
        refresh_tokens: { [OTHER]: 'rt-other' },
        tokens: {
          [tokenCacheKey(API, 'openid profile email')]: {
            access_token: 'api',
            expires_at: OFFLINE_NOW + 600_000,
          },
        },
      },
      () => Promise.reject(new TypeError('answered by fetch')),
      {
        resource: API,
        fetch: async (_url, init) => {
          bodies.push(new URLSearchParams(init.body as URLSearchParams));
          return Response.json({ access_token: 'other', token_type: 'Bearer', expires_in: 300 });
        },
      },
    );
    await expect(client.getAccessToken()).resolves.toBe('api');
    await expect(client.getAccessToken({ audience: OTHER })).resolves.toBe('other');
    expect(
      bodies.map((body) => [body.get('resource'), body.get('audience'), body.get('refresh_token')]),
    ).toEqual([[OTHER, null, 'rt-other']]);
    client.destroy();
  });

  it('without resource, passes a resource a login names through as given, beside the audience', async () => {
    const navigations: string[] = [];
    const { client } = offlineClient({}, () => Promise.reject(new Error('no request')), {
      audience: API,
      navigate: (url) => void navigations.push(url),
    });
    await client.loginWithRedirect({ authorizationParams: { resource: OTHER } });
    const authorize = new URL(navigations[0]!).searchParams;
    expect([authorize.get('audience'), authorize.getAll('resource')]).toEqual([API, [OTHER]]);
  });

  it('leaves the audience parameter as it was without resource', async () => {
    const navigations: string[] = [];
    const { client } = offlineClient({}, () => Promise.reject(new Error('no request')), {
      audience: API,
      navigate: (url) => void navigations.push(url),
    });
    await client.loginWithRedirect();
    const authorize = new URL(navigations[0]!).searchParams;
    expect([authorize.get('audience'), authorize.get('resource')]).toEqual([API, null]);
  });
});
