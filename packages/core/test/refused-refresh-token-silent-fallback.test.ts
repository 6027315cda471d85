import { describe, expect, it } from 'vitest';
import { LoginRequiredError, silentAuthorization, TimeoutError, type AuthStatus } from '../src/index.js';
import type { TabMessage } from '../src/tab-sync.js';
import { OFFLINE_ISSUER, OFFLINE_NOW, offlineClient } from './support.js';

const API = 'https://api.example/';
const OTHER = 'https://other.example/';
const SESSION_KEY = 'grantflow.app.session';

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const idToken = (claims: object) => `${encode({ alg: 'RS256' })}.${encode(claims)}.sig`;

type SilentOutcome = 'signed in' | 'login_required' | 'timeout';

interface Setup {
  /** What the provider's session answers a `prompt=none` request. */
  silent?: SilentOutcome | undefined;
  /** The refresh token a silent answer brings, if any. */
  issuedRefreshToken?: string | undefined;
  /** The refresh endpoint's answer: refused (`invalid_grant`, as Auth0 words it) unless given. */
  refreshAnswer?: () => Response;
  /** Stored besides the claims; by default the refused refresh token for `API` and no access token. */
  stored?: { refresh_tokens?: Record<string, string>; tokens?: object };
  claims?: Record<string, unknown>;
  /** Without silent authorization configured. */
  withoutSilent?: boolean;
  /** The user the provider's session is about; the stored session's (`u`) unless given. */
  silentSub?: string;
}

/**
 * A page or process whose storage holds a session for `API` (audience by default) whose refresh token
 * `rt-old` the server refuses, while the provider's own session is `silent`: the token endpoint, the
 * `prompt=none` transport and the cross-tab broadcasts are all recorded.
 */
function refusedSession({
  silent = 'signed in',
  issuedRefreshToken,
  refreshAnswer = () =>
    Response.json(
      { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' },
      { status: 403 },
    ),
  stored = { refresh_tokens: { [API]: 'rt-old' } },
  claims = {},
  withoutSilent = false,
  silentSub = 'u',
}: Setup = {}) {
  const authorizeUrls: URL[] = [];
  const grants: URLSearchParams[] = [];
  const posted: TabMessage[] = [];
  let issued = 0;
  const transport = async ({ url, redirectUri }: { url: string; redirectUri: string }) => {
    const request = new URL(url);
    authorizeUrls.push(request);
    const state = request.searchParams.get('state');
    if (silent === 'timeout') throw new TimeoutError('silent authorization');
    return silent === 'signed in'
      ? `${redirectUri}?code=c${authorizeUrls.length}&state=${state}`
      : `${redirectUri}?error=login_required&error_description=Login+required&state=${state}`;
  };
  const fetch = async (_url: string, init?: RequestInit) => {
    const grant = new URLSearchParams(init!.body as URLSearchParams);
    grants.push(grant);
    if (grant.get('grant_type') === 'refresh_token') return refreshAnswer();
    const authorized = authorizeUrls.at(-1)!.searchParams;
    return Response.json({
      access_token: `silent-${++issued}`,
      token_type: 'Bearer',
      expires_in: 300,
      ...(issuedRefreshToken ? { refresh_token: issuedRefreshToken } : {}),
      id_token: idToken({
        iss: OFFLINE_ISSUER,
        sub: silentSub,
        aud: 'app',
        iat: OFFLINE_NOW / 1000,
        exp: OFFLINE_NOW / 1000 + 300,
        nonce: authorized.get('nonce'),
        ...(authorized.get('organization') ? { org_id: authorized.get('organization') } : {}),
      }),
    });
  };
  const { client, storage } = offlineClient(
    { claims, ...stored },
    () => Promise.reject(new Error('unused')),
    {
      audience: API,
      useRefreshTokens: true,
      fetch,
      tabs: () => ({
        post: (message) => void posted.push(message),
        withLock: (task) => task(false),
        close: () => undefined,
      }),
      ...(withoutSilent ? {} : { silentAuthorization: silentAuthorization(transport) }),
    },
  );
  const statuses: string[] = [];
  client.subscribe(({ status, error }) => statuses.push(error ? `${status}(${error.code})` : status));
  const storedSession = () => {
    const raw = storage.get(SESSION_KEY) as string | undefined;
    return raw === undefined
      ? undefined
      : (JSON.parse(raw) as { refresh_tokens: Record<string, string>; tokens: object });
  };
  const refreshes = () => grants.filter((grant) => grant.get('grant_type') === 'refresh_token');
  return { client, authorizeUrls, grants, refreshes, posted, statuses, storedSession };
}

/** How a call ends: the token, or what it was rejected with. */
const outcome = (attempt: Promise<string>) =>
  attempt.then(
    (token) => ({ token }),
    (error: LoginRequiredError) => ({
      name: error.name,
      code: error.code,
      message: error.message,
      cause: (error.cause as { code?: string } | undefined)?.code,
    }),
  );

describe('a refresh token the server refuses, with silent authorization opted in', () => {
  it('is replaced by one silent authorization on a first getAccessToken(), before checkSession()', async () => {
    const page = refusedSession();
    await expect(page.client.getAccessToken()).resolves.toBe('silent-1');
    expect(page.refreshes().map((grant) => grant.get('refresh_token'))).toEqual(['rt-old']);
    expect(page.authorizeUrls).toHaveLength(1);
    expect(page.authorizeUrls[0]!.searchParams.get('prompt')).toBe('none');
    // The refused refresh token is gone: the next renewal goes straight to silent authorization.
    expect(page.storedSession()!.refresh_tokens).toEqual({});
    expect(page.client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
    expect(page.posted).toEqual([]);
    await expect(page.client.getAccessToken()).resolves.toBe('silent-1');
    await expect(page.client.getAccessToken({ cacheMode: 'off' })).resolves.toBe('silent-2');
    expect(page.refreshes()).toHaveLength(1);
    page.client.destroy();
  });

  it('keeps the refresh token a silent answer brings, and spends it next', async () => {
    const page = refusedSession({ issuedRefreshToken: 'rt-new' });
    await expect(page.client.getAccessToken()).resolves.toBe('silent-1');
    expect(page.storedSession()!.refresh_tokens).toEqual({ [API]: 'rt-new' });
    await page.client.getAccessToken({ cacheMode: 'off' }).catch(() => undefined);
    expect(page.refreshes().map((grant) => grant.get('refresh_token'))).toEqual(['rt-old', 'rt-new']);
    page.client.destroy();
  });

  it('restores the session on checkSession() at page load, without a logout', async () => {
    const page = refusedSession();
    await page.client.checkSession();
    expect(page.statuses).toEqual(['checking', 'authenticated']);
    expect(page.client.getSnapshot()).toMatchObject({ isAuthenticated: true, error: undefined });
    expect(page.authorizeUrls).toHaveLength(1);
    expect(page.storedSession()!.refresh_tokens).toEqual({});
    expect(page.posted).toEqual([]);
    await expect(page.client.getAccessToken()).resolves.toBe('silent-1');
    expect(page.grants).toHaveLength(2);
    page.client.destroy();
  });

  it('keeps a signed-in session through its renewal: refreshing, then authenticated', async () => {
    const fresh = { access_token: 'cached', expires_at: OFFLINE_NOW + 300_000, scope: 'openid' };
    const page = refusedSession({
      stored: {
        refresh_tokens: { [API]: 'rt-old' },
        tokens: { [`${API} email offline_access openid profile`]: fresh },
      },
    });
    await page.client.checkSession();
    expect(page.grants).toEqual([]);
    await expect(page.client.getAccessToken({ cacheMode: 'off' })).resolves.toBe('silent-1');
    expect(page.statuses).toEqual(['checking', 'authenticated', 'refreshing', 'authenticated']);
    expect(page.posted).toEqual([]);
    page.client.destroy();
  });

  it('asks the silent authorization for the audience, scope and organization the refresh asked for', async () => {
    const page = refusedSession({ claims: { org_id: 'org_abc' } });
    await expect(page.client.getAccessToken({ scope: 'write:things' })).resolves.toBe('silent-1');
    const refreshed = page.refreshes()[0]!;
    const silent = page.authorizeUrls[0]!.searchParams;
    expect(refreshed.get('audience')).toBe(API);
    expect(silent.get('audience')).toBe(API);
    expect(refreshed.get('scope')!.split(' ')).toContain('write:things');
    expect(silent.get('scope')!.split(' ').sort()).toEqual(refreshed.get('scope')!.split(' ').sort());
    expect(silent.get('organization')).toBe('org_abc');
    // Stored for that scope: the same call is served from the cache.
    await expect(page.client.getAccessToken({ scope: 'write:things' })).resolves.toBe('silent-1');
    expect(page.grants).toHaveLength(2);
    page.client.destroy();
  });

  it('makes one refresh and one silent request for many concurrent callers', async () => {
    const page = refusedSession();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => page.client.getAccessToken()));
    expect(new Set(tokens)).toEqual(new Set(['silent-1']));
    expect(page.refreshes()).toHaveLength(1);
    expect(page.authorizeUrls).toHaveLength(1);
    page.client.destroy();
  });

  for (const silent of ['login_required', 'timeout'] as const) {
    it(`ends the session as without it when the silent try fails (${silent}), on a first getAccessToken()`, async () => {
      const withSilent = refusedSession({ silent });
      const without = refusedSession({ withoutSilent: true });
      const failed = await outcome(withSilent.client.getAccessToken());
      expect(failed).toEqual(await outcome(without.client.getAccessToken()));
      expect(failed).toMatchObject({ code: 'login_required', cause: 'invalid_grant' });
      expect(withSilent.authorizeUrls).toHaveLength(1);
      expect(withSilent.storedSession()).toBeUndefined();
      expect(without.storedSession()).toBeUndefined();
      expect(withSilent.statuses).toEqual(without.statuses);
      expect(withSilent.posted).toEqual(without.posted);
      expect(withSilent.client.getSnapshot()).toEqual(without.client.getSnapshot());
      for (const page of [withSilent, without]) page.client.destroy();
    });
  }

  it('ends a signed-in session as before when the silent try answers login_required', async () => {
    const fresh = { access_token: 'cached', expires_at: OFFLINE_NOW + 300_000, scope: 'openid' };
    const page = refusedSession({
      silent: 'login_required',
      stored: {
        refresh_tokens: { [API]: 'rt-old' },
        tokens: { [`${API} email offline_access openid profile`]: fresh },
      },
    });
    await page.client.checkSession();
    const attempt = page.client.getAccessToken({ cacheMode: 'off' });
    await expect(attempt).rejects.toBeInstanceOf(LoginRequiredError);
    await expect(attempt).rejects.toThrow('refresh token rejected');
    const statuses: AuthStatus[] = ['checking', 'authenticated', 'refreshing'];
    expect(page.statuses).toEqual([...statuses, 'error(login_required)']);
    expect(page.posted).toEqual(['logout']);
    expect(page.storedSession()).toBeUndefined();
    page.client.destroy();
  });

  it('ends in unauthenticated on checkSession() when the silent try answers login_required', async () => {
    const page = refusedSession({ silent: 'login_required' });
    await page.client.checkSession();
    expect(page.statuses).toEqual(['checking', 'unauthenticated']);
    expect(page.storedSession()).toBeUndefined();
    expect(page.authorizeUrls).toHaveLength(1);
    page.client.destroy();
  });

  it("ends the session as without it when the provider's session is another user's: no switch of user", async () => {
    const page = refusedSession({ silentSub: 'someone-else' });
    const without = refusedSession({ withoutSilent: true });
    const failed = await outcome(page.client.getAccessToken());
    expect(failed).toEqual(await outcome(without.client.getAccessToken()));
    expect(page.authorizeUrls).toHaveLength(1);
    expect(page.storedSession()).toBeUndefined();
    expect(page.client.getSnapshot()).toEqual(without.client.getSnapshot());
    for (const each of [page, without]) each.client.destroy();
  });

  it('refuses a silent renewal without a refresh token that comes back as another user, and ends the session', async () => {
    const fresh = { access_token: 'cached', expires_at: OFFLINE_NOW + 300_000, scope: 'openid' };
    const page = refusedSession({
      silentSub: 'someone-else',
      stored: { refresh_tokens: {}, tokens: { [`${API} email offline_access openid profile`]: fresh } },
    });
    await page.client.checkSession();
    const attempt = page.client.getAccessToken({ cacheMode: 'off' });
    await expect(attempt).rejects.toThrow(new LoginRequiredError('another user is signed in at the server'));
    await expect(attempt).rejects.toMatchObject({
      cause: { code: 'id_token_invalid', message: 'id_token names another user' },
    });
    expect(page.client.getSnapshot()).toMatchObject({ isAuthenticated: false, user: undefined });
    expect(page.posted).toEqual(['logout']);
    expect(page.storedSession()).toBeUndefined();
    page.client.destroy();
  });

  it('is not tried for a refresh that fails for want of the server: the session and refresh token stay', async () => {
    for (const refreshAnswer of [
      () => new Response('<h1>down</h1>', { status: 503 }),
      () => Response.json({ error: 'too_many_requests' }, { status: 429 }),
    ]) {
      const page = refusedSession({ refreshAnswer });
      await page.client.checkSession().catch(() => undefined);
      await expect(page.client.getAccessToken()).rejects.toMatchObject({
        code: expect.not.stringMatching('login_required'),
      });
      expect(page.authorizeUrls).toEqual([]);
      expect(page.storedSession()!.refresh_tokens).toEqual({ [API]: 'rt-old' });
      expect(page.client.getSnapshot().isAuthenticated).toBe(true);
      page.client.destroy();
    }
  });
});

describe("another audience's refused refresh token, with silent authorization opted in", () => {
  const stored = { refresh_tokens: { [API]: 'rt-default', [OTHER]: 'rt-old' } };
  const fresh = { access_token: 'cached', expires_at: OFFLINE_NOW + 300_000, scope: 'openid' };
  const signedIn = { ...stored, tokens: { [`${API} email offline_access openid profile`]: fresh } };

  it('is replaced by a silent authorization for that audience, the default session untouched', async () => {
    const page = refusedSession({ stored: signedIn });
    await page.client.checkSession();
    await expect(page.client.getAccessToken({ audience: OTHER })).resolves.toBe('silent-1');
    expect(page.authorizeUrls[0]!.searchParams.get('audience')).toBe(OTHER);
    expect(page.storedSession()!.refresh_tokens).toEqual({ [API]: 'rt-default' });
    expect(page.statuses).toEqual(['checking', 'authenticated']);
    page.client.destroy();
  });

  it('fails that call only when the silent try answers login_required, ending no session (issue 8)', async () => {
    const page = refusedSession({ stored: signedIn, silent: 'login_required' });
    await page.client.checkSession();
    await expect(page.client.getAccessToken({ audience: OTHER })).rejects.toMatchObject({
      code: 'login_required',
    });
    expect(page.authorizeUrls).toHaveLength(1);
    expect(page.statuses).toEqual(['checking', 'authenticated']);
    expect(page.posted).toEqual([]);
    expect(page.storedSession()!.refresh_tokens[API]).toBe('rt-default');
    await expect(page.client.getAccessToken()).resolves.toBe('cached');
    page.client.destroy();
  });
});
