import { describe, expect, it } from 'vitest';
import { InvalidResponseError, NetworkError, silentAuthorization, StateMismatchError } from '../src/index.js';
import { manualTimers, OFFLINE_ISSUER, OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const noRequest = () => Promise.reject(new TypeError('no request expected'));
const tokenResponse = (access_token: string) =>
  Response.json({ access_token, token_type: 'Bearer', expires_in: 300, scope: 'openid' });

describe('a page load that finds tokens', () => {
  it('without an ID token: signed out and done loading, the token still handed out', async () => {
    const { client } = offlineClient(
      {
        tokens: {
          [OFFLINE_TOKEN_KEY]: { access_token: 'at', expires_at: OFFLINE_NOW + 300_000, scope: 'read' },
        },
      },
      noRequest,
    );
    await client.checkSession();
    expect(client.getSnapshot()).toMatchObject({
      status: 'unauthenticated',
      isLoading: false,
      isAuthenticated: false,
    });
    await expect(client.getAccessToken()).resolves.toBe('at');
    client.destroy();
  });

  it('with an ID token, at a server without a userinfo endpoint: getUserInfo says so, asking nothing', async () => {
    const { client, requests } = offlineClient(
      {
        claims: {},
        tokens: {
          [OFFLINE_TOKEN_KEY]: { access_token: 'at', expires_at: OFFLINE_NOW + 300_000, scope: 'openid' },
        },
      },
      noRequest,
    );
    await client.checkSession();
    expect(client.getSnapshot().user?.sub).toBe('u');
    const attempt = client.getUserInfo();
    await expect(attempt).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(attempt).rejects.toThrow('the server names no userinfo_endpoint');
    expect(requests).toEqual([]);
    client.destroy();
  });
});

describe('getUserInfo', () => {
  it('while signed out is login_required, asking nothing', async () => {
    const { client, requests } = offlineClient({}, noRequest);
    await expect(client.getUserInfo()).rejects.toMatchObject({
      code: 'login_required',
      message: 'not logged in',
    });
    expect(requests).toEqual([]);
    client.destroy();
  });

  it('proves possession of a token whose type the server wrote in another case', async () => {
    const sent: [string, string | null, string | null][] = [];
    const { client } = offlineClient(
      {
        claims: {},
        tokens: {
          [OFFLINE_TOKEN_KEY]: {
            access_token: 'at',
            expires_at: OFFLINE_NOW + 300_000,
            scope: 'openid',
            token_type: 'dpop',
          },
        },
      },
      noRequest,
      {
        endpoints: {
          authorization: 'https://idp.example/authorize',
          token: 'https://idp.example/token',
          userinfo: 'https://idp.example/userinfo',
        },
        proof: {
          tokenType: 'DPoP',
          headers: async ({ method, url }) => ({ DPoP: `proof of ${method} ${url}` }),
          retry: () => false,
        },
        fetch: async (url, init) => {
          const headers = new Headers(init.headers);
          sent.push([url, headers.get('authorization'), headers.get('dpop')]);
          return Response.json({ sub: 'u' });
        },
      },
    );
    await client.checkSession();
    await expect(client.getUserInfo()).resolves.toEqual({ sub: 'u' });
    expect(sent).toEqual([
      ['https://idp.example/userinfo', 'DPoP at', 'proof of GET https://idp.example/userinfo'],
    ]);
    client.destroy();
  });
});

describe('getUserInfo of a signed answer (application/jwt)', () => {
  const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signedAnswer = (claims: object) =>
    new Response(`${segment({ alg: 'RS256' })}.${segment(claims)}.c2ln`, {
      headers: { 'content-type': 'application/jwt' },
    });
  const signedIn = (claims: object) =>
    offlineClient(
      {
        claims: {},
        tokens: {
          [OFFLINE_TOKEN_KEY]: { access_token: 'at', expires_at: OFFLINE_NOW + 300_000, scope: 'openid' },
        },
      },
      noRequest,
      {
        endpoints: {
          authorization: `${OFFLINE_ISSUER}authorize`,
          token: `${OFFLINE_ISSUER}token`,
          userinfo: `${OFFLINE_ISSUER}userinfo`,
        },
        fetch: async () => signedAnswer(claims),
      },
    ).client;

  it("gives its claims when it is from the issuer, for this client, about the session's user", async () => {
    const claims = { iss: OFFLINE_ISSUER, aud: 'app', sub: 'u', name: 'U' };
    const client = signedIn(claims);
    await client.checkSession();
    await expect(client.getUserInfo()).resolves.toEqual(claims);
    client.destroy();
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example/', aud: 'app', sub: 'u' }, 'userinfo: bad iss'],
    ['another client', { iss: OFFLINE_ISSUER, aud: 'other-app', sub: 'u' }, 'userinfo: bad aud'],
    ['another user', { iss: OFFLINE_ISSUER, aud: 'app', sub: 'v' }, "userinfo: sub is not the ID token's"],
  ])('refuses one for %s, the session untouched', async (_case, claims, message) => {
    const client = signedIn(claims);
    await client.checkSession();
    const before = client.getSnapshot();
    await expect(client.getUserInfo()).rejects.toThrow(message);
    expect(client.getSnapshot()).toBe(before);
    client.destroy();
  });
});

describe('a callback for no login of this page, on a page load with a stored session', () => {
  const lasting = {
    claims: {},
    tokens: {
      [OFFLINE_TOKEN_KEY]: { access_token: 'at', expires_at: OFFLINE_NOW + 7_200_000, scope: 'openid' },
    },
  };

  it.each([
    ['an unknown state', 'state_mismatch', 0],
    ['a login that expired', 'missing_transaction', 3_600_000],
  ])('(%s) shows the stored session, with the error', async (_case, code, later) => {
    let now = OFFLINE_NOW;
    const { client, requests } = offlineClient(lasting, noRequest, { now: () => now });
    const started = new URL(await client.buildAuthorizeUrl()).searchParams.get('state')!;
    now += later;
    const state = later ? started : 'unknown';
    const attempt = client.handleRedirectCallback(`https://app.example/callback?code=c&state=${state}`);
    await expect(attempt).rejects.toMatchObject({ code });
    expect(client.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { sub: 'u' },
      error: { code },
    });
    expect(requests).toEqual([]);
    client.destroy();
  });

  it('that is no callback at all is refused as such, leaving the state alone', async () => {
    const { client } = offlineClient(lasting, noRequest);
    const attempt = client.handleRedirectCallback('https://app.example/callback?tab=2');
    await expect(attempt).rejects.toBeInstanceOf(StateMismatchError);
    await expect(attempt).rejects.toThrow('not a callback URL');
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: undefined });
    client.destroy();
  });
});

describe('checkSession during a page load', () => {
  it('waits for the restore under way, however often it is called', async () => {
    let answer: (response: Response) => void = () => undefined;
    const { client, requests } = offlineClient(
      { claims: {}, refresh_tokens: { '': 'rt' } },
      () => new Promise<Response>((resolve) => (answer = resolve)),
      { useRefreshTokens: true },
    );
    const done: string[] = [];
    const first = client.checkSession().then(() => done.push('first'));
    await expect.poll(() => requests.length).toBe(1);
    expect(client.getSnapshot().status).toBe('checking');
    const second = client.checkSession().then(() => done.push('second'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toEqual([]);
    answer(tokenResponse('fresh'));
    await Promise.all([first, second]);
    expect(done.sort()).toEqual(['first', 'second']);
    expect(client.getSnapshot().status).toBe('authenticated');
    expect(requests).toHaveLength(1);
    client.destroy();
  });
});

describe('a refresh in a single tab', () => {
  it('goes out at once after a failed one, with nothing to wait for from other tabs', async () => {
    const clock = manualTimers();
    let calls = 0;
    const { client, requests } = offlineClient(
      { claims: {}, refresh_tokens: { '': 'rt' } },
      async () => {
        calls += 1;
        if (calls === 1) throw new TypeError('Failed to fetch');
        return tokenResponse('fresh');
      },
      { useRefreshTokens: true, environment: { timers: clock.timers } },
    );
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(NetworkError);
    // Timers that never fire: a wait for another tab's write would never end.
    await expect(client.getAccessToken()).resolves.toBe('fresh');
    expect(requests).toHaveLength(2);
    client.destroy();
  });
});

describe('silent authorization', () => {
  it('over a transport that ends anywhere but a callback is a state mismatch, exchanging nothing', async () => {
    const ended: string[] = [];
    const { client, requests } = offlineClient({}, noRequest, {
      silentAuthorization: silentAuthorization(async ({ redirectUri }) => {
        ended.push(redirectUri);
        return `${redirectUri}?error_description=lost`;
      }),
    });
    const attempt = client.getAccessToken();
    await expect(attempt).rejects.toBeInstanceOf(StateMismatchError);
    await expect(attempt).rejects.toThrow('no silent response');
    expect([ended, requests]).toEqual([['https://app.example/callback'], []]);
    client.destroy();
  });
});
