import { describe, expect, it } from 'vitest';
import { createAuthClient } from '../src/client.js';

describe('the scopes a login asks for', () => {
  it('add a list of scopes to the defaults, one by one', async () => {
    const client = createAuthClient({
      issuer: 'https://idp.example',
      clientId: 'app',
      redirectUri: 'https://app.example/callback',
      endpoints: { authorization: 'https://idp.example/authorize', token: 'https://idp.example/token' },
      environment: { sessionStorage: undefined, localStorage: undefined },
    });
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
});
