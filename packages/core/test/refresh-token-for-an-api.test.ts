import { describe, expect, it } from 'vitest';
import type { ClientConfig } from '../src/options.js';
import { refreshTokenFor } from '../src/refresh.js';
import type { CacheContents } from '../src/token-cache.js';

const A = 'https://a.example/';
const B = 'https://b.example/';
const C = 'https://c.example/';

/** A client whose sign-in lists `resources` (RFC 8707), the first the default API. */
const listing = (resources: string[]) =>
  ({ audience: resources[0], authorizationParams: { resource: resources } }) as unknown as ClientConfig;
const stored = (refresh_tokens: Record<string, string>): CacheContents => ({ refresh_tokens, tokens: {} });

describe('which refresh token renews a token for an API (RFC 8707 §2.2)', () => {
  it("uses the default API's grant for another API the sign-in listed, kept under the default", () => {
    expect(refreshTokenFor(listing([A, B]), stored({ [A]: 'rt-a' }), B)).toEqual({
      refreshToken: 'rt-a',
      grantAudience: A,
    });
  });

  it("uses an API's own refresh token first, listed or not", () => {
    const contents = stored({ [A]: 'rt-a', [B]: 'rt-b', [C]: 'rt-c' });
    expect(refreshTokenFor(listing([A, B]), contents, B)).toEqual({ refreshToken: 'rt-b', grantAudience: B });
    expect(refreshTokenFor(listing([A, B]), contents, C)).toEqual({ refreshToken: 'rt-c', grantAudience: C });
  });

  it('has none for an API the sign-in did not list, nor for any API of an Auth0-style client', () => {
    expect(refreshTokenFor(listing([A, B]), stored({ [A]: 'rt-a' }), C)).toEqual({
      refreshToken: undefined,
      grantAudience: C,
    });
    const auth0 = { audience: A, authorizationParams: { audience: A } } as unknown as ClientConfig;
    expect(refreshTokenFor(auth0, stored({ [A]: 'rt-a' }), B)).toEqual({
      refreshToken: undefined,
      grantAudience: B,
    });
    expect(refreshTokenFor(auth0, stored({ [A]: 'rt-a' }), A)).toEqual({
      refreshToken: 'rt-a',
      grantAudience: A,
    });
  });
});
