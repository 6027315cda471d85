import { describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '../src/index.js';
import type { FetchLike } from '../src/http.js';
import { manualTimers, OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const API = 'https://api.example';
const API_KEY = `${API} email openid profile`;

/** A token endpoint that grants each refresh; `bodies` holds what each request sent. */
function tokenEndpoint(answer: () => Promise<Response> = async () => granted('renewed')) {
  const bodies: URLSearchParams[] = [];
  const fetch: FetchLike = async (_url, init) => {
    bodies.push(new URLSearchParams(init.body as URLSearchParams));
    return answer();
  };
  return { fetch, bodies };
}
const granted = (access_token: string) =>
  Response.json({ access_token, token_type: 'Bearer', expires_in: 300, scope: 'openid' });
const refused = () => Response.json({ error: 'invalid_grant' }, { status: 400 });
const noRequest = () => Promise.reject(new TypeError('no request expected'));
const fresh = (access_token: string) => ({
  access_token,
  expires_at: OFFLINE_NOW + 300_000,
  scope: 'openid',
});
/** A stored default session: the user's claims, a refresh token and a fresh access token `stored`. */
const signedIn = () => ({
  claims: {},
  refresh_tokens: { '': 'rt' },
  tokens: { [OFFLINE_TOKEN_KEY]: fresh('stored') },
});
const expired = (access_token: string) => ({ access_token, expires_at: OFFLINE_NOW - 1, scope: 'openid' });

describe('checkSession(options) on a page load', () => {
  it.each([
    ['authorizationParams.audience (Auth0’s spelling)', { authorizationParams: { audience: API } }],
    ['audience', { audience: API }],
  ])('restores a session signed in for another API than the default with %s', async (_name, options) => {
    // A login that named the API itself: its refresh token is stored under that API alone.
    const endpoint = tokenEndpoint();
    const { client, storage } = offlineClient(
      { claims: {}, refresh_tokens: { [API]: 'rt-api' } },
      noRequest,
      {
        fetch: endpoint.fetch,
      },
    );
    await client.checkSession(options);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'u' } });
    expect(endpoint.bodies.map((body) => body.get('refresh_token'))).toEqual(['rt-api']);
    await expect(client.getAccessToken({ audience: API, cacheMode: 'cache-only' })).resolves.toBe('renewed');
    expect(String(storage.get('grantflow.app.session'))).toContain('rt-api');
    client.destroy();
  });

  it('keeps the default session when the other API has no refresh token of its own', async () => {
    const { client, requests, storage } = offlineClient(signedIn(), noRequest);
    const before = storage.get('grantflow.app.session');
    await expect(client.checkSession({ authorizationParams: { audience: API } })).resolves.toBeUndefined();
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'u' } });
    expect(requests).toEqual([]);
    expect(storage.get('grantflow.app.session')).toBe(before);
    await expect(client.getAccessToken()).resolves.toBe('stored');
    client.destroy();
  });

  it('keeps a session stored only for the other API when the server cannot be reached', async () => {
    const endpoint = tokenEndpoint(() => Promise.reject(new TypeError('offline')));
    const { client, storage } = offlineClient(
      { claims: {}, refresh_tokens: { [API]: 'rt-api' } },
      noRequest,
      {
        fetch: endpoint.fetch,
      },
    );
    const before = storage.get('grantflow.app.session');
    await client.checkSession({ audience: API });
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: { code: 'network_error' } });
    // One attempt: no fall-back to the default token, which has no refresh token here.
    expect(endpoint.bodies.map((body) => body.get('refresh_token'))).toEqual(['rt-api']);
    expect(storage.get('grantflow.app.session')).toBe(before);
    client.destroy();
  });

  it('puts one time limit on the other API and the fall-back together', async () => {
    const { timers, delays, withDelay, fire } = manualTimers();
    const endpoint = tokenEndpoint(() => new Promise<Response>(() => undefined));
    const { client } = offlineClient(
      {
        claims: {},
        refresh_tokens: { '': 'rt', [API]: 'rt-api' },
        tokens: { [OFFLINE_TOKEN_KEY]: expired('old') },
      },
      noRequest,
      { fetch: endpoint.fetch, environment: { timers } },
    );
    const check = client.checkSession({ audience: API, timeoutInSeconds: 2 });
    await vi.waitFor(() => expect(delays()).toContain(2000));
    fire(withDelay(2000)[0]!);
    // The stored session stays shown with the failure, and no second limit (nor attempt) starts.
    await expect(check).resolves.toBeUndefined();
    expect(withDelay(2000)).toEqual([]);
    expect(endpoint.bodies.map((body) => body.get('refresh_token'))).toEqual(['rt-api']);
    expect(client.getSnapshot()).toMatchObject({ isAuthenticated: true, error: { code: 'timeout' } });
    client.destroy();
  });

  it("with cacheMode: 'cache-only', shows the stored default session when the other API has no token", async () => {
    const { client, requests } = offlineClient(signedIn(), noRequest);
    await client.checkSession({ cacheMode: 'cache-only', audience: API });
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'u' } });
    expect(requests).toEqual([]);
    client.destroy();
  });

  it("with cacheMode: 'off', asks the server even while the stored token is fresh", async () => {
    const endpoint = tokenEndpoint();
    const { client } = offlineClient(signedIn(), noRequest, { fetch: endpoint.fetch });
    await client.checkSession({ cacheMode: 'off' });
    expect(endpoint.bodies.map((body) => body.get('refresh_token'))).toEqual(['rt']);
    expect(client.getSnapshot().status).toBe('authenticated');
    await expect(client.getAccessToken()).resolves.toBe('renewed');
    client.destroy();
  });

  it("with cacheMode: 'cache-only', asks nothing and clears nothing when the stored token expired", async () => {
    const { client, requests, storage } = offlineClient(
      { claims: {}, refresh_tokens: { '': 'rt' }, tokens: { [OFFLINE_TOKEN_KEY]: expired('stored') } },
      noRequest,
    );
    const before = storage.get('grantflow.app.session');
    await expect(client.checkSession({ cacheMode: 'cache-only' })).resolves.toBeUndefined();
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: undefined });
    expect(requests).toEqual([]);
    expect(storage.get('grantflow.app.session')).toBe(before);
    client.destroy();
  });

  it("with cacheMode: 'cache-only', restores the session a fresh stored token belongs to", async () => {
    const { client, requests } = offlineClient(
      { claims: {}, tokens: { [API_KEY]: fresh('stored-for-api') } },
      noRequest,
    );
    await client.checkSession({ cacheMode: 'cache-only', authorizationParams: { audience: API } });
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'u' } });
    expect(requests).toEqual([]);
    client.destroy();
  });

  it('with timeoutInSeconds, gives up with a TimeoutError when nothing was stored to show', async () => {
    const { timers, delays, withDelay, fire } = manualTimers();
    const endpoint = tokenEndpoint(() => new Promise<Response>(() => undefined));
    const { client } = offlineClient({ refresh_tokens: { '': 'rt' } }, noRequest, {
      fetch: endpoint.fetch,
      environment: { timers },
    });
    const check = client.checkSession({ timeoutInSeconds: 2 });
    await vi.waitFor(() => expect(delays()).toContain(2000));
    fire(withDelay(2000)[0]!);
    await expect(check).rejects.toBeInstanceOf(TimeoutError);
    expect(client.getSnapshot()).toMatchObject({ status: 'error', error: { code: 'timeout' } });
    client.destroy();
  });

  it('with timeoutInSeconds, gives up showing the stored session with the TimeoutError', async () => {
    const { timers, delays, withDelay, fire } = manualTimers();
    const endpoint = tokenEndpoint(() => new Promise<Response>(() => undefined));
    const { client } = offlineClient({ claims: {}, refresh_tokens: { '': 'rt' } }, noRequest, {
      fetch: endpoint.fetch,
      environment: { timers },
    });
    const check = client.checkSession({ timeoutInSeconds: 2 });
    await vi.waitFor(() => expect(delays()).toContain(2000));
    fire(withDelay(2000)[0]!);
    await expect(check).resolves.toBeUndefined();
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: { code: 'timeout' } });
    client.destroy();
  });

  it('refuses a timeoutInSeconds that is no positive number, before restoring anything', async () => {
    const { client, requests } = offlineClient({ claims: {}, refresh_tokens: { '': 'rt' } }, noRequest);
    await expect(client.checkSession({ timeoutInSeconds: 0 })).rejects.toThrow(
      new TypeError('timeoutInSeconds must be a number of seconds > 0 and < 2^31 ms'),
    );
    expect(client.getSnapshot().status).toBe('unauthenticated');
    expect(requests).toEqual([]);
    client.destroy();
  });
});

describe('checkSession(options) once signed in', () => {
  it("with cacheMode: 'off', renews the token as Auth0's checkSession does", async () => {
    const endpoint = tokenEndpoint();
    const { client } = offlineClient(signedIn(), noRequest, { fetch: endpoint.fetch });
    await client.checkSession();
    expect(endpoint.bodies).toEqual([]);
    await client.checkSession({ cacheMode: 'off' });
    expect(endpoint.bodies.map((body) => body.get('refresh_token'))).toEqual(['rt']);
    await expect(client.getAccessToken()).resolves.toBe('renewed');
    client.destroy();
  });

  it('resolves, signed out, when the server refuses the session', async () => {
    const endpoint = tokenEndpoint(async () => refused());
    const { client } = offlineClient(signedIn(), noRequest, { fetch: endpoint.fetch });
    await client.checkSession();
    await expect(client.checkSession({ cacheMode: 'off' })).resolves.toBeUndefined();
    expect(endpoint.bodies).toHaveLength(1);
    expect(client.getSnapshot()).toMatchObject({ isAuthenticated: false, error: { code: 'login_required' } });
    client.destroy();
  });

  it('resolves with the session kept when the server cannot be reached, the failure in the snapshot', async () => {
    const endpoint = tokenEndpoint(() => Promise.reject(new TypeError('offline')));
    const { client } = offlineClient(signedIn(), noRequest, { fetch: endpoint.fetch });
    await client.checkSession();
    await expect(client.checkSession({ cacheMode: 'off' })).resolves.toBeUndefined();
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: { code: 'network_error' } });
    client.destroy();
  });

  it('called while another check restores the session, renews after it', async () => {
    const endpoint = tokenEndpoint();
    const { client } = offlineClient(signedIn(), noRequest, { fetch: endpoint.fetch });
    const first = client.checkSession();
    await client.checkSession({ cacheMode: 'off' });
    await first;
    expect(endpoint.bodies).toHaveLength(1);
    await expect(client.getAccessToken()).resolves.toBe('renewed');
    client.destroy();
  });
});
