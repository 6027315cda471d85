import { describe, expect, it } from 'vitest';
import {
  InvalidResponseError,
  LoginRequiredError,
  MissingRefreshTokenError,
  OAuthError,
} from '../src/errors.js';
import { tokenCacheKey } from '../src/token-cache.js';
import type { TokenResponse } from '../src/token-endpoint.js';
import { API, CLAIMS, DEFAULT_KEY, NOW, tokenManagerWorld } from './token-manager-world.js';

const OTHER = 'https://other.test/';
const rejected = () => Response.json({ error: 'invalid_grant' }, { status: 400 });

describe('renewing the default audience’s token', () => {
  it('spends its refresh token with the client and audience, keeping the granted scopes', async () => {
    const world = tokenManagerWorld();
    await world.seed({ refresh_tokens: { [API]: 'rt1' } });
    await expect(world.tokens.getAccessToken()).resolves.toBe('at1');
    expect(Object.fromEntries(world.requests[0]!)).toEqual({
      grant_type: 'refresh_token',
      client_id: 'app',
      refresh_token: 'rt1',
      audience: API,
    });
    expect(world.events).toEqual([
      { type: 'REFRESH' },
      { type: 'AUTHENTICATED', session: expect.objectContaining({ accessTokenExpiresAt: NOW + 300_000 }) },
    ]);
  });

  it('asks for the default scopes plus the extra ones, and caches the token under them', async () => {
    const world = tokenManagerWorld();
    await world.seed({ refresh_tokens: { [API]: 'rt1' } });
    await world.tokens.getAccessToken({ scope: 'write read' });
    expect(world.requests[0]!.get('scope')).toBe('openid read offline_access write');
    const { tokens } = await world.cache.read();
    expect(Object.keys(tokens)).toEqual([tokenCacheKey(API, 'openid read write offline_access')]);
  });

  it('never asks a refresh for a default scope the server withheld (RFC 6749 §6), only for those granted or named', async () => {
    const world = tokenManagerWorld();
    const expired = { access_token: 'old', expires_at: NOW - 1000 };
    // The login asked for `openid read offline_access`; the server granted no `read`.
    await world.seed({
      refresh_tokens: { [API]: 'rt1' },
      tokens: { [DEFAULT_KEY]: { ...expired, scope: 'openid offline_access' } },
    });
    await world.tokens.getAccessToken({ scope: 'offline_access' });
    expect(world.requests[0]!.get('scope')).toBe('openid offline_access');
    await world.tokens.getAccessToken({ scope: 'write' });
    expect(world.requests[1]!.get('scope')).toBe('openid offline_access write');
  });

  it('keeps the OIDC defaults in a refresh when the server names no OIDC scope in its answers', async () => {
    const world = tokenManagerWorld();
    await world.seed({
      refresh_tokens: { [API]: 'rt1' },
      tokens: { [DEFAULT_KEY]: { access_token: 'old', expires_at: NOW - 1000, scope: 'read' } },
    });
    await world.tokens.getAccessToken({ scope: 'write' });
    expect(world.requests[0]!.get('scope')).toBe('openid read offline_access write');
  });

  it('judges a refresh’s scope by what the server granted for that audience, not another’s', async () => {
    const world = tokenManagerWorld();
    await world.seed({
      refresh_tokens: { [API]: 'rt1' },
      tokens: { [tokenCacheKey(OTHER, 'openid')]: { access_token: 'x', scope: 'openid' } },
    });
    await world.tokens.getAccessToken({ scope: 'write' });
    expect(world.requests[0]!.get('scope')).toBe('openid read offline_access write');
  });

  it('turns a rejected refresh token into login_required, with the server’s error as the cause', async () => {
    const world = tokenManagerWorld();
    await world.seed({ refresh_tokens: { [API]: 'rt1' } });
    world.answers.push(rejected);
    const attempt = world.tokens.getAccessToken();
    await expect(attempt).rejects.toBeInstanceOf(LoginRequiredError);
    await expect(attempt).rejects.toThrow('refresh token rejected');
    const error = (await attempt.catch((caught: unknown) => caught)) as LoginRequiredError;
    expect(error.cause).toBeInstanceOf(OAuthError);
    expect(error.cause).toMatchObject({ code: 'invalid_grant', status: 400 });
    expect(world.events).toEqual([{ type: 'REFRESH' }, { type: 'FAILED', error, renewal: 'default' }]);
  });

  it('passes any other failure on unchanged, and keeps the refresh token for the next try', async () => {
    const world = tokenManagerWorld();
    await world.seed({ refresh_tokens: { [API]: 'rt1' } });
    world.answers.push(() => new Response('<h1>down</h1>', { status: 503 }));
    const attempt = world.tokens.getAccessToken();
    await expect(attempt).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_response', status: 503 });
    await expect(world.tokens.getAccessToken()).resolves.toBe('at2');
    expect(world.requests.map((params) => params.get('refresh_token'))).toEqual(['rt1', 'rt1']);
  });

  it('keeps the refresh token through a 5xx whatever error its body names; a 4xx invalid_grant (Auth0: 403) is a refusal', async () => {
    const world = tokenManagerWorld();
    await world.seed({ refresh_tokens: { [API]: 'rt1' } });
    world.answers.push(() => Response.json({ error: 'invalid_grant' }, { status: 500 }));
    await expect(world.tokens.getAccessToken()).rejects.toMatchObject({ code: 'invalid_grant', status: 500 });
    await expect(world.tokens.getAccessToken()).resolves.toBe('at2');
    expect(world.requests.map((params) => params.get('refresh_token'))).toEqual(['rt1', 'rt1']);
    world.answers.push(() => Response.json({ error: 'invalid_grant' }, { status: 403 }));
    await expect(world.tokens.getAccessToken({ cacheMode: 'off' })).rejects.toBeInstanceOf(
      LoginRequiredError,
    );
  });

  it('without a refresh token: missing_refresh_token for a stored user, login_required for nobody', async () => {
    const world = tokenManagerWorld();
    await world.seed({});
    const signedIn = world.tokens.getAccessToken();
    await expect(signedIn).rejects.toBeInstanceOf(MissingRefreshTokenError);
    await expect(signedIn).rejects.toThrow('no refresh token');
    await world.seed({ claims: undefined });
    const nobody = world.tokens.getAccessToken();
    await expect(nobody).rejects.toBeInstanceOf(LoginRequiredError);
    await expect(nobody).rejects.toThrow('not logged in');
    expect(world.requests).toEqual([]);
    expect(world.events.map((event) => event.type)).toEqual(['FAILED', 'FAILED']);
  });

  it('renews silently when the app opted in and no refresh token is stored', async () => {
    const asked: unknown[] = [];
    const response: TokenResponse = {
      access_token: 'silent',
      token_type: 'Bearer',
      expires_in: 60,
      scope: undefined,
      refresh_token: undefined,
      id_token: undefined,
    };
    const world = tokenManagerWorld({
      renewSilently: async (audience, scope) => (asked.push([audience, scope]), { response }),
    });
    await world.seed({});
    await expect(world.tokens.getAccessToken({ scope: 'write' })).resolves.toBe('silent');
    expect(asked).toEqual([[API, 'write']]);
    expect(world.requests).toEqual([]);
    expect(world.events.map((event) => event.type)).toEqual(['REFRESH', 'AUTHENTICATED']);
  });
});

describe('renewing another audience’s token', () => {
  it('uses that audience’s refresh token and never shows in the snapshot', async () => {
    const world = tokenManagerWorld();
    await world.seed({ refresh_tokens: { [API]: 'rt1', [OTHER]: 'rt-other' } });
    await expect(world.tokens.getAccessToken({ audience: OTHER })).resolves.toBe('at1');
    expect(world.requests[0]!.get('refresh_token')).toBe('rt-other');
    expect(world.requests[0]!.get('audience')).toBe(OTHER);
    expect(world.events).toEqual([]);
  });

  it('fails that call only: its failure is reported as another audience’s', async () => {
    const world = tokenManagerWorld();
    await world.seed({ refresh_tokens: { [OTHER]: 'rt-other' } });
    world.answers.push(rejected);
    const error = await world.tokens.getAccessToken({ audience: OTHER }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LoginRequiredError);
    expect(world.events).toEqual([{ type: 'FAILED', error, renewal: 'other' }]);
    expect((await world.cache.read()).claims).toEqual(CLAIMS);
  });
});
