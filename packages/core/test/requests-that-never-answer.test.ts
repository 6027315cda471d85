import { describe, expect, it, vi } from 'vitest';
import { createAuthClient, TimeoutError } from '../src/index.js';
import {
  EVENTUALLY,
  manualTimers,
  OFFLINE_ISSUER,
  OFFLINE_NOW,
  OFFLINE_TOKEN_KEY,
  offlineClient,
} from './support.js';

const TIMEOUT = 200;

/**
 * Fetches that hold the client forever unless it gives up by itself: neither honours the abort signal
 * (as a custom fetch need not).
 */
const hangs = {
  'never answers': () => new Promise<Response>(() => undefined),
  'answers a body that never ends': async () =>
    new Response(new ReadableStream({ start: () => undefined }), {
      headers: { 'content-type': 'application/json' },
    }),
};

const endpoints = {
  authorization: `${OFFLINE_ISSUER}authorize`,
  token: `${OFFLINE_ISSUER}token`,
  userinfo: `${OFFLINE_ISSUER}userinfo`,
  pushedAuthorizationRequest: `${OFFLINE_ISSUER}par`,
  requirePushedAuthorizationRequests: true,
};

type Fetch = (url: string, init: RequestInit) => Promise<Response>;
type Timers = ReturnType<typeof manualTimers>['timers'];

/** A client over a stored session whose requests go to `fetch`, bounded by `TIMEOUT`. */
const offline = (
  session: Parameters<typeof offlineClient>[0],
  fetch: Fetch,
  timers: Timers,
  useRefreshTokens = false,
) =>
  // `fetch` as the option: the client hands it the abort signal too.
  offlineClient(session, () => Promise.reject(new TypeError('unused')), {
    fetch,
    timeout: TIMEOUT,
    useRefreshTokens,
    endpoints,
    environment: { timers },
  }).client;

/** Each call that asks the server something, and what it asks. */
const calls: Record<string, (fetch: Fetch, timers: Timers) => Promise<unknown>> = {
  'discovery (loginWithRedirect)': (fetch, timers) =>
    createAuthClient({
      issuer: OFFLINE_ISSUER,
      clientId: 'app',
      redirectUri: 'https://app.example/callback',
      navigate: () => undefined,
      fetch,
      timeout: TIMEOUT,
      environment: { timers, sessionStorage: undefined, localStorage: undefined },
    }).loginWithRedirect(),
  'a pushed authorization request (loginWithRedirect)': (fetch, timers) =>
    offline({}, fetch, timers).loginWithRedirect(),
  'a refresh (getAccessToken)': (fetch, timers) =>
    offline({ claims: {}, refresh_tokens: { '': 'rt' } }, fetch, timers, true).getAccessToken(),
  'userinfo (getUserInfo)': async (fetch, timers) => {
    const stored = { access_token: 'at', expires_at: OFFLINE_NOW + 3_600_000, scope: 'openid' };
    const client = offline({ claims: {}, tokens: { [OFFLINE_TOKEN_KEY]: stored } }, fetch, timers);
    await client.checkSession();
    return client.getUserInfo();
  },
};

describe.each(Object.entries(hangs))('a fetch that %s and ignores the abort signal', (_hang, hang) => {
  it.each(Object.keys(calls))('bounds %s by `timeout`, leaving no timer behind', async (name) => {
    const clock = manualTimers();
    const signals: AbortSignal[] = [];
    const fetch: Fetch = (_url, init) => {
      signals.push(init.signal!);
      return hang();
    };
    const attempt = calls[name]!(fetch, clock.timers);
    await vi.waitFor(() => expect(clock.withDelay(TIMEOUT)).toHaveLength(1), EVENTUALLY);
    clock.fire(clock.withDelay(TIMEOUT)[0]!);
    await expect(attempt).rejects.toBeInstanceOf(TimeoutError);
    expect(signals.map((signal) => signal.aborted)).toEqual([true]);
    expect(clock.delays()).toEqual([]);
  });
});

describe('a refresh that times out this way', () => {
  it('keeps the session and its refresh token, and a later call tries again', async () => {
    const clock = manualTimers();
    let answer = (): Promise<Response> => new Promise<Response>(() => undefined);
    const { client, requests, storage } = offlineClient(
      { claims: {}, refresh_tokens: { '': 'rt' } },
      () => answer(),
      { timeout: TIMEOUT, useRefreshTokens: true, endpoints, environment: { timers: clock.timers } },
    );
    const attempt = client.getAccessToken();
    await vi.waitFor(() => expect(clock.withDelay(TIMEOUT)).toHaveLength(1), EVENTUALLY);
    clock.fire(clock.withDelay(TIMEOUT)[0]!);
    await expect(attempt).rejects.toMatchObject({ code: 'timeout' });
    expect(await storage.get('grantflow.app.session')).toContain('"rt"');
    answer = async () =>
      Response.json({ access_token: 'fresh', token_type: 'Bearer', expires_in: 300, scope: 'openid' });
    await expect(client.getAccessToken()).resolves.toBe('fresh');
    expect(requests).toEqual([`${OFFLINE_ISSUER}token`, `${OFFLINE_ISSUER}token`]);
    client.destroy();
  });
});
