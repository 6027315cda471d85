import { describe, expect, it } from 'vitest';
import { createAuthClient } from '../src/client.js';

const options = {
  issuer: 'https://idp.example',
  clientId: 'app',
  redirectUri: 'https://app.example/callback',
  endpoints: { authorization: 'https://idp.example/authorize', token: 'https://idp.example/token' },
  environment: { sessionStorage: undefined, localStorage: undefined },
};

describe('the scopes a login asks for', () => {
  it('add a list of scopes to the defaults, one by one', async () => {
    const client = createAuthClient(options);
    const url = new URL(
      await client.buildAuthorizeUrl({ authorizationParams: { scope: ['read:a', 'write:a'] } }),
    );
    expect(url.searchParams.get('scope')?.split(' ').sort()).toEqual([
      'email',
      'openid',
      'profile',
      'read:a',
      'write:a',
    ]);
    client.destroy();
  });

  it('take a list of default scopes from the client options, one by one', async () => {
    const client = createAuthClient({
      ...options,
      useRefreshTokens: true,
      authorizationParams: { scope: ['openid', 'read:a'] },
    });
    const url = new URL(await client.buildAuthorizeUrl());
    expect(url.searchParams.get('scope')?.split(' ').sort()).toEqual(['offline_access', 'openid', 'read:a']);
    client.destroy();
  });

  it('take a list of default scopes given as the top-level scope option', async () => {
    const client = createAuthClient({ ...options, scope: ['openid', 'read:a'] });
    const url = new URL(await client.buildAuthorizeUrl());
    expect(url.searchParams.get('scope')?.split(' ').sort()).toEqual(['openid', 'read:a']);
    client.destroy();
  });
});
