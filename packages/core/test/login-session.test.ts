import { describe, expect, it } from 'vitest';
import type { CallbackParams } from '../src/callback.js';
import type { ServerMetadata } from '../src/discovery.js';
import {
  AuthorizationError,
  IdTokenInvalidError,
  InvalidResponseError,
  LoginRequiredError,
} from '../src/errors.js';
import type { FetchLike } from '../src/http.js';
import { exchangeCallback, startLogin } from '../src/redirect-flow.js';
import { resolveOptions } from '../src/options.js';
import { saveTokens, sessionFrom } from '../src/session.js';
import { createTransactionStore, memoryStorage } from '../src/storage.js';
import { createTokenCache, tokenCacheKey } from '../src/token-cache.js';
import type { TokenResponse } from '../src/token-endpoint.js';

const NOW = 1_700_000_000_000;
const metadata: ServerMetadata = {
  issuer: 'https://idp.example/',
  authorization_endpoint: 'https://idp.example/authorize',
  token_endpoint: 'https://idp.example/token',
};

function setup(fetch?: FetchLike) {
  const config = resolveOptions({
    issuer: 'https://idp.example/',
    clientId: 'app',
    redirectUri: 'https://app.example/cb',
    audience: 'https://api.example',
    useRefreshTokens: true,
    now: () => NOW,
    fetch,
  });
  const storage = memoryStorage();
  return {
    config,
    transactions: createTransactionStore(storage, 'tx.', () => NOW),
    cache: createTokenCache(storage, 'session'),
  };
}

const idToken = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const claims = (extra: Record<string, unknown> = {}) => ({
  iss: 'https://idp.example/',
  sub: 'user-1',
  aud: 'app',
  iat: NOW / 1000,
  exp: NOW / 1000 + 600,
  ...extra,
});
const response = (extra: Partial<TokenResponse> = {}): TokenResponse => ({
  access_token: 'at',
  token_type: 'Bearer',
  expires_in: 300,
  scope: 'read',
  refresh_token: 'rt',
  id_token: undefined,
  ...extra,
});

describe('resolveOptions', () => {
  it('applies the defaults', () => {
    const config = resolveOptions({
      domain: 'tenant.auth0.com',
      clientId: 'app',
      redirectUri: 'https://app.example/cb',
    });
    expect(config).toMatchObject({
      issuer: 'https://tenant.auth0.com/',
      scope: 'openid profile email',
      leeway: 60,
      timeout: 10_000,
      auth0Logout: true,
      silentRedirectUri: 'https://app.example/cb',
    });
    // Cross-tab coordination and silent authorization are modules an app opts into.
    expect(config.tabs).toBeUndefined();
    expect(config.silentAuthorization).toBeUndefined();
  });

  it('logs out through Auth0 only for Auth0 issuers', () => {
    const base = { clientId: 'app', redirectUri: 'https://app.example/cb' };
    expect(resolveOptions({ ...base, issuer: 'https://idp.example/' }).auth0Logout).toBe(false);
    expect(resolveOptions({ ...base, domain: 'login.example.com' }).auth0Logout).toBe(true);
    expect(resolveOptions({ ...base, issuer: 'https://tenant.auth0.com/' }).auth0Logout).toBe(true);
  });

  it('resolves the environment once: what is given wins, even undefined; the rest is the runtime', () => {
    const sessionStorage = {} as Storage;
    const config = resolveOptions({
      issuer: 'https://idp.example/',
      clientId: 'app',
      redirectUri: 'https://app.example/cb',
      environment: { sessionStorage, crypto: undefined as never, framed: true },
    });
    expect(config.environment.sessionStorage).toBe(sessionStorage);
    expect(config.environment.crypto).toBeUndefined();
    expect(config.environment.framed).toBe(true);
    // Node has no document, location or Web Storage of its own.
    expect(config.environment.document).toBeUndefined();
    expect(config.environment.location).toBeUndefined();
    expect(config.environment.localStorage).toBeUndefined();
    expect(typeof config.environment.timers.setTimeout).toBe('function');
  });
});

describe('startLogin', () => {
  it('saves a transaction under the state it puts in the URL', async () => {
    const { config, transactions } = setup();
    const started = await startLogin(config, metadata, transactions, {
      appState: 42,
      authorizationParams: { max_age: '60', organization: 'acme', scope: 'write' },
    });
    const url = new URL(started.url);
    expect(started.state).toBe(url.searchParams.get('state'));
    const transaction = await transactions.take(url.searchParams.get('state')!);
    expect(transaction).toMatchObject({
      nonce: url.searchParams.get('nonce'),
      redirect_uri: 'https://app.example/cb',
      scope: 'openid profile email offline_access write',
      audience: 'https://api.example',
      max_age: 60,
      organization: 'acme',
      appState: 42,
      expires_at: NOW + 30 * 60_000,
    });
    expect(url.searchParams.get('scope')).toBe(transaction.scope);
  });
});

describe('exchangeCallback', () => {
  const transaction = { code_verifier: 'v', redirect_uri: 'https://app.example/cb' } as never;
  const code = (iss?: string): CallbackParams => ({ type: 'code', code: 'c', state: 's', iss });

  it('exchanges the code when iss matches or is absent and not announced', async () => {
    const bodies: URLSearchParams[] = [];
    const { config } = setup(async (_url, init) => {
      bodies.push(init.body as URLSearchParams);
      return Response.json({ access_token: 'at', token_type: 'Bearer' });
    });
    await exchangeCallback(config, metadata, code('https://idp.example/'), transaction);
    await exchangeCallback(config, metadata, code(), transaction);
    expect(bodies.map((body) => body.get('code_verifier'))).toEqual(['v', 'v']);
  });

  it('refuses a wrong iss, or a missing one the server announced', async () => {
    const { config } = setup();
    await expect(
      exchangeCallback(config, metadata, code('https://other.example/'), transaction),
    ).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(
      exchangeCallback(
        config,
        { ...metadata, authorization_response_iss_parameter_supported: true },
        code(),
        transaction,
      ),
    ).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('turns callback errors into typed errors', async () => {
    const { config } = setup();
    const error = (name: string): CallbackParams => ({
      type: 'error',
      error: name,
      error_description: undefined,
      error_uri: undefined,
      state: 's',
      iss: undefined,
    });
    await expect(
      exchangeCallback(config, metadata, error('login_required'), transaction),
    ).rejects.toBeInstanceOf(LoginRequiredError);
    await expect(
      exchangeCallback(config, metadata, error('access_denied'), transaction),
    ).rejects.toBeInstanceOf(AuthorizationError);
  });
});

describe('saveTokens and sessionFrom', () => {
  const key = tokenCacheKey('https://api.example', 'email offline_access openid profile');
  const base = {
    issuer: 'https://idp.example/',
    audience: 'https://api.example',
    key,
    scope: 'email offline_access openid profile',
    stillCurrent: () => true,
  };

  it('stores tokens and the refresh token per audience, and derives the session', async () => {
    const { config, cache } = setup();
    const session = await saveTokens(
      config,
      cache,
      response({ id_token: idToken(claims({ name: 'A' })) }),
      base,
    );
    expect(session).toMatchObject({
      user: { sub: 'user-1', name: 'A' },
      accessTokenExpiresAt: NOW + 300_000,
      scope: 'read',
    });
    expect(await cache.read()).toMatchObject({
      refresh_tokens: { 'https://api.example': 'rt' },
      tokens: { [key]: { access_token: 'at' } },
    });
    expect(sessionFrom(config, await cache.read())).toEqual(session);
    // A rotation without a new refresh token keeps the old one.
    await saveTokens(config, cache, response({ access_token: 'at2', refresh_token: undefined }), base);
    expect((await cache.read()).refresh_tokens['https://api.example']).toBe('rt');
  });

  it('writes nothing when the ID token fails a check or is missing on login', async () => {
    const { config, cache } = setup();
    await expect(
      saveTokens(config, cache, response({ id_token: idToken(claims({ aud: 'other' })) }), base),
    ).rejects.toBeInstanceOf(IdTokenInvalidError);
    const login = { nonce: 'n', scope: 'openid' } as never;
    await expect(saveTokens(config, cache, response(), { ...base, login })).rejects.toBeInstanceOf(
      IdTokenInvalidError,
    );
    expect(await cache.read()).toEqual({ refresh_tokens: {}, tokens: {} });
  });

  it('writes nothing once the session ended meanwhile', async () => {
    const { config, cache } = setup();
    await expect(
      saveTokens(config, cache, response(), { ...base, stillCurrent: () => false }),
    ).rejects.toBeInstanceOf(LoginRequiredError);
    expect(await cache.read()).toEqual({ refresh_tokens: {}, tokens: {} });
  });

  it('refuses a refreshed ID token that names another user, writing only its rotated refresh token (OIDC Core §12.2)', async () => {
    const { config, cache } = setup();
    await saveTokens(config, cache, response({ id_token: idToken(claims()) }), base);
    const before = await cache.read();
    const renewal = saveTokens(
      config,
      cache,
      response({ access_token: 'at2', refresh_token: 'rt2', id_token: idToken(claims({ sub: 'user-2' })) }),
      base,
    );
    await expect(renewal).rejects.toBeInstanceOf(IdTokenInvalidError);
    await expect(renewal).rejects.toThrow('refreshed id_token names another user');
    expect(await cache.read()).toEqual({ ...before, refresh_tokens: { 'https://api.example': 'rt2' } });
    // The same user renewed is stored.
    await saveTokens(
      config,
      cache,
      response({ access_token: 'at3', id_token: idToken(claims({ name: 'B' })) }),
      base,
    );
    expect((await cache.read()).claims?.name).toBe('B');
  });

  it('refuses a refreshed ID token from another issuer for a session it stored, though the sub is the same', async () => {
    const { config, cache } = setup();
    // Kept in a persistent storage from when the app signed in at another issuer with this client ID.
    await cache.write({
      claims: claims({ iss: 'https://old-idp.example/' }),
      refresh_tokens: { 'https://api.example': 'rt' },
      tokens: {},
    });
    const before = await cache.read();
    const renewal = saveTokens(
      config,
      cache,
      response({ refresh_token: 'rt2', id_token: idToken(claims()) }),
      base,
    );
    await expect(renewal).rejects.toThrow('refreshed id_token names another user');
    expect(await cache.read()).toEqual({ ...before, refresh_tokens: { 'https://api.example': 'rt2' } });
  });

  it('keeps no refresh token of a refused refresh once the session ended meanwhile, or was cleared elsewhere', async () => {
    const { config, cache } = setup();
    const refused = response({ refresh_token: 'rt2', id_token: idToken(claims({ aud: 'other' })) });
    await expect(
      saveTokens(config, cache, refused, { ...base, stillCurrent: () => false }),
    ).rejects.toBeInstanceOf(IdTokenInvalidError);
    // Logged out in another tab: the storage is empty, though this tab's generation did not move.
    await expect(saveTokens(config, cache, refused, base)).rejects.toBeInstanceOf(IdTokenInvalidError);
    expect(await cache.read()).toEqual({ refresh_tokens: {}, tokens: {} });
    await saveTokens(config, cache, response({ id_token: idToken(claims()) }), base);
    const before = await cache.read();
    await expect(
      saveTokens(config, cache, refused, { ...base, stillCurrent: () => false }),
    ).rejects.toBeInstanceOf(IdTokenInvalidError);
    expect(await cache.read()).toEqual(before);
  });

  it('keeps nothing of a sign-in whose ID token is refused, not even its refresh token', async () => {
    const { config, cache } = setup();
    await saveTokens(config, cache, response({ id_token: idToken(claims()) }), base);
    const before = await cache.read();
    const login = { nonce: 'n', scope: 'openid' } as never;
    const refused = response({ refresh_token: 'rt2', id_token: idToken(claims({ nonce: 'other' })) });
    await expect(saveTokens(config, cache, refused, { ...base, login })).rejects.toThrow(
      'ID token: bad nonce',
    );
    expect(await cache.read()).toEqual(before);
  });

  it('starts afresh when another user logs in', async () => {
    const { config, cache } = setup();
    await saveTokens(config, cache, response({ id_token: idToken(claims()) }), { ...base, key: 'other-key' });
    const login = { nonce: 'n', scope: 'openid' } as never;
    await saveTokens(
      config,
      cache,
      response({ id_token: idToken(claims({ sub: 'user-2', nonce: 'n' })), refresh_token: undefined }),
      {
        ...base,
        login,
      },
    );
    const contents = await cache.read();
    expect(Object.keys(contents.tokens)).toEqual([key]);
    expect(contents.refresh_tokens['https://api.example']).toBeUndefined();
    expect(contents.claims?.sub).toBe('user-2');
  });

  it('says why nothing was written: no ID token for openid, or the session ended meanwhile', async () => {
    const { config, cache } = setup();
    const login = { nonce: 'n', scope: 'openid read' } as never;
    await expect(saveTokens(config, cache, response(), { ...base, login })).rejects.toThrow('no id_token');
    await expect(
      saveTokens(config, cache, response(), { ...base, stillCurrent: () => false }),
    ).rejects.toThrow('logged out meanwhile');
  });

  it('stores a login without openid, which brings no ID token', async () => {
    const { config, cache } = setup();
    const login = { nonce: 'n', scope: 'read' } as never;
    await saveTokens(config, cache, response(), { ...base, login });
    expect((await cache.read()).tokens[key]).toMatchObject({ access_token: 'at' });
  });

  it('keeps the tokens for other APIs when the same user logs in again', async () => {
    const { config, cache } = setup();
    await saveTokens(config, cache, response({ id_token: idToken(claims()) }), { ...base, key: 'other-key' });
    const login = { nonce: 'n', scope: 'openid' } as never;
    await saveTokens(config, cache, response({ id_token: idToken(claims({ nonce: 'n' })) }), {
      ...base,
      login,
    });
    expect(Object.keys((await cache.read()).tokens).sort()).toEqual([key, 'other-key'].sort());
  });

  it('shows a stored token that names no type (kept by an earlier version) as a Bearer token', () => {
    const { config } = setup();
    const stored = { access_token: 'at', expires_at: NOW + 1000, scope: 'read' };
    const contents = { claims: claims(), refresh_tokens: {}, tokens: { [key]: stored } };
    expect(sessionFrom(config, contents)?.tokenType).toBe('Bearer');
    const dpop = { ...contents, tokens: { [key]: { ...stored, token_type: 'DPoP' } } };
    expect(sessionFrom(config, dpop)?.tokenType).toBe('DPoP');
    expect(sessionFrom(config, { ...contents, tokens: {} })?.tokenType).toBeUndefined();
  });

  it('keeps the user when a renewal brings no ID token, and has no session without one', async () => {
    const { config, cache } = setup();
    expect(await saveTokens(config, cache, response(), base)).toBeUndefined();
    await saveTokens(config, cache, response({ id_token: idToken(claims({ name: 'A' })) }), base);
    const renewed = await saveTokens(
      config,
      cache,
      response({ access_token: 'at2', expires_in: undefined }),
      base,
    );
    // No `expires_in` (only recommended, RFC 6749 §5.1): the lifetime is unknown, not over.
    expect(renewed).toMatchObject({ user: { sub: 'user-1', name: 'A' }, accessTokenExpiresAt: undefined });
    expect((await cache.read()).tokens[key]).toEqual({
      access_token: 'at2',
      scope: 'read',
      token_type: 'Bearer',
    });
  });
});
