import { describe, expect, it } from 'vitest';
import { createAuthClient, GrantflowError, InvalidResponseError, memoryStorage } from '../src/index.js';

const ISSUER = 'https://idp.example/';

/** A client whose provider's discovery document has `endpoints` (over valid required ones). */
function clientOf(endpoints: Record<string, unknown>) {
  const navigations: string[] = [];
  const client = createAuthClient({
    issuer: ISSUER,
    clientId: 'app',
    redirectUri: 'https://app.example/callback',
    storage: memoryStorage(),
    navigate: (url) => void navigations.push(url),
    fetch: async () =>
      Response.json({
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}authorize`,
        token_endpoint: `${ISSUER}token`,
        ...endpoints,
      }),
    environment: { sessionStorage: undefined, localStorage: undefined },
  });
  return { client, navigations };
}

const refusedAsBadDocument = async (attempt: Promise<unknown>, name: string) => {
  const error: unknown = await attempt.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidResponseError);
  expect(error).toBeInstanceOf(GrantflowError);
  expect(error).toMatchObject({ code: 'invalid_response', message: `discovery: bad ${name}` });
};

describe('a discovery document whose endpoints are no absolute http(s) URLs', () => {
  it.each([
    ['authorization_endpoint', { authorization_endpoint: '/authorize' }],
    ['authorization_endpoint', { authorization_endpoint: 'javascript:alert(1)' }],
    [
      'pushed_authorization_request_endpoint',
      { pushed_authorization_request_endpoint: 5, require_pushed_authorization_requests: true },
    ],
    // A URL parser would read the list as the URL it holds: still not a string.
    ['userinfo_endpoint', { userinfo_endpoint: [`${ISSUER}userinfo`] }],
    // A scheme that merely ends in `https` is another scheme.
    ['revocation_endpoint', { revocation_endpoint: 'xhttps://idp.example/revoke' }],
  ])(
    'fails loginWithRedirect with a typed invalid_response (bad %s), never a TypeError, and goes nowhere',
    async (name, document) => {
      const { client, navigations } = clientOf(document);
      await refusedAsBadDocument(client.loginWithRedirect(), name);
      expect(navigations).toEqual([]);
    },
  );

  it('fails logout with a typed invalid_response when the end-session endpoint is relative; the local session is gone', async () => {
    const { client, navigations } = clientOf({ end_session_endpoint: 'relative' });
    await refusedAsBadDocument(client.logout({ returnTo: 'https://app.example/' }), 'end_session_endpoint');
    expect(navigations).toEqual([]);
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', isAuthenticated: false });
  });
});
