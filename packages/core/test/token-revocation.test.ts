import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdp } from '@grantflow/dev-idp';
import { discover } from '../src/discovery.js';
import { InvalidResponseError, OAuthError, isRecoverable } from '../src/errors.js';
import type { FetchLike } from '../src/http.js';
import { revokeAtLogout, revokeToken } from '../src/revocation.js';
import { refreshTokens } from '../src/token-endpoint.js';
import type { CacheContents } from '../src/token-cache.js';
import { login, manualTimers, startIdp, testClient } from './support.js';

function answering(status: number, body: string) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    return new Response(body, { status });
  };
  return { calls, fetch };
}

describe('revokeToken (RFC 7009)', () => {
  it('POSTs the token, the hint and the client id as a form', async () => {
    const { calls, fetch } = answering(200, '');
    await revokeToken(
      'https://idp.example/revoke',
      { client_id: 'app', token: 'rt', token_type_hint: 'refresh_token' },
      { fetch },
    );
    expect(calls[0]!.url).toBe('https://idp.example/revoke');
    expect(calls[0]!.init.method).toBe('POST');
    expect(Object.fromEntries(calls[0]!.init.body as URLSearchParams)).toEqual({
      client_id: 'app',
      token: 'rt',
      token_type_hint: 'refresh_token',
    });
  });

  it('leaves the hint out when none is given', async () => {
    const { calls, fetch } = answering(200, '');
    await revokeToken('https://idp.example/revoke', { client_id: 'app', token: 'at' }, { fetch });
    expect((calls[0]!.init.body as URLSearchParams).has('token_type_hint')).toBe(false);
  });

  /** What revoking gives back when the server answers `status` with `body`. */
  const failureFor = (status: number, body: string) =>
    revokeToken('https://idp.example/revoke', { client_id: 'a', token: 't' }, answering(status, body)).catch(
      (error: unknown) => error,
    );

  it('turns an OAuth error body into OAuthError with the status', async () => {
    const error = await failureFor(400, JSON.stringify({ error: 'unsupported_token_type' }));
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ error: 'unsupported_token_type', status: 400 });
  });

  it('sends a form and asks for JSON', async () => {
    const { calls, fetch } = answering(200, '');
    await revokeToken('https://idp.example/revoke', { client_id: 'app', token: 'at' }, { fetch });
    const headers = new Headers(calls[0]!.init.headers);
    expect(headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(headers.get('accept')).toBe('application/json');
  });

  it("keeps an OAuth error's description and URI when they are strings, and drops them otherwise", async () => {
    const described = {
      error: 'invalid_client',
      error_description: 'who?',
      error_uri: 'https://idp.example/e',
    };
    expect(await failureFor(401, JSON.stringify(described))).toMatchObject({ ...described, status: 401 });
    const odd = { error: 'invalid_client', error_description: 7, error_uri: {} };
    expect(await failureFor(401, JSON.stringify(odd))).toMatchObject({
      error_description: undefined,
      error_uri: undefined,
    });
  });

  it('reports a JSON answer without an error code as an InvalidResponseError with the status', async () => {
    const error = await failureFor(500, JSON.stringify({ message: 'oops' }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ message: 'revocation: HTTP 500', status: 500 });
  });

  it('reports a 503 (RFC 7009 §2.2.1) as a recoverable InvalidResponseError', async () => {
    const error = await failureFor(503, 'busy');
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(isRecoverable(error)).toBe(true);
  });
});

describe('revokeToken against the dev IdP', () => {
  let idp: DevIdp;
  beforeAll(async () => {
    idp = await startIdp();
  });
  afterAll(() => idp.close());

  it('makes a revoked refresh token unusable', async () => {
    const { client, navigations, storage } = testClient(idp.issuer, { useRefreshTokens: true });
    await login(client, navigations);
    const stored = JSON.parse((await storage.get('grantflow.grantflow-demo.session'))!) as CacheContents;
    const refreshToken = Object.values(stored.refresh_tokens)[0]!;
    const metadata = await discover(idp.issuer);
    expect(metadata.revocation_endpoint).toEqual(expect.any(String));

    await revokeToken(metadata.revocation_endpoint!, {
      client_id: 'grantflow-demo',
      token: refreshToken,
      token_type_hint: 'refresh_token',
    });
    const refused = await refreshTokens(metadata.token_endpoint, {
      client_id: 'grantflow-demo',
      refresh_token: refreshToken,
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'invalid_grant' });
    // Revoking again is not an error: the server no longer knows the token (RFC 7009 §2.2).
    await revokeToken(metadata.revocation_endpoint!, { client_id: 'grantflow-demo', token: refreshToken });
  });
});

describe('the revocation at logout', () => {
  const ENDPOINT = 'https://idp.example/revoke';

  /** A server that answers each revocation as `answer` says, recording the forms it received. */
  function revocationServer(
    answer: () => Promise<Response> = async () => new Response(null, { status: 200 }),
  ) {
    const forms: Record<string, string>[] = [];
    const fetch: FetchLike = (url, init) => {
      forms.push({ url, ...Object.fromEntries(init.body as URLSearchParams) });
      return answer();
    };
    return { forms, fetch };
  }

  it('revokes each refresh token with its hint, and leaves no timer behind', async () => {
    const { forms, fetch } = revocationServer();
    const { timers, withDelay } = manualTimers();
    await revokeAtLogout(ENDPOINT, 'app', ['rt-1', 'rt-2'], { fetch, timers }, timers);
    expect(forms).toEqual([
      { url: ENDPOINT, client_id: 'app', token: 'rt-1', token_type_hint: 'refresh_token' },
      { url: ENDPOINT, client_id: 'app', token: 'rt-2', token_type_hint: 'refresh_token' },
    ]);
    expect(withDelay(2000)).toEqual([]);
  });

  it.each([
    ['no timeout', undefined, 2000],
    ['a longer timeout', 60_000, 2000],
    ['a shorter timeout', 1000, 1000],
  ])('with %s, waits for the server 2 s at most, or the shorter timeout', (_name, timeout, waited) => {
    const { fetch } = revocationServer(() => new Promise<Response>(() => undefined));
    const { timers, withDelay } = manualTimers();
    void revokeAtLogout(ENDPOINT, 'app', ['rt'], { fetch, timers, timeout }, timers);
    // The request's own abort timer and the logout's bound.
    expect(withDelay(waited)).toHaveLength(2);
  });

  it('does not hold the logout when the server never answers and ignores the abort', async () => {
    const { forms, fetch } = revocationServer(() => new Promise<Response>(() => undefined));
    const { timers, withDelay, fire } = manualTimers();
    let settled = false;
    void revokeAtLogout(ENDPOINT, 'app', ['rt'], { fetch, timers }, timers).then(() => (settled = true));
    expect(forms).toHaveLength(1);
    withDelay(2000).forEach(fire);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(true);
  });

  it('counts finding the endpoint against the same 2 s: a discovery that never answers does not hold the logout', async () => {
    const { forms, fetch } = revocationServer();
    const { timers, withDelay, fire } = manualTimers();
    let settled = false;
    const discovery = new Promise<string>(() => undefined);
    void revokeAtLogout(discovery, 'app', ['rt'], { fetch, timers }, timers).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(false);
    withDelay(2000).forEach(fire);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect([settled, forms]).toEqual([true, []]);
  });

  it('revokes at the endpoint discovery finds, and sends nothing when discovery fails', async () => {
    const { forms, fetch } = revocationServer();
    const { timers } = manualTimers();
    await revokeAtLogout(Promise.resolve(ENDPOINT), 'app', ['rt'], { fetch, timers }, timers);
    await revokeAtLogout(Promise.reject(new Error('down')), 'app', ['rt'], { fetch, timers }, timers);
    expect(forms).toEqual([
      { url: ENDPOINT, client_id: 'app', token: 'rt', token_type_hint: 'refresh_token' },
    ]);
  });

  it('sends nothing when discovery finds no revocation endpoint', async () => {
    const { forms, fetch } = revocationServer();
    const { timers } = manualTimers();
    await revokeAtLogout(Promise.resolve(undefined), 'app', ['rt'], { fetch, timers }, timers);
    expect(forms).toEqual([]);
  });

  it('sends nothing and sets no timer when the server has no revocation endpoint', async () => {
    const { forms, fetch } = revocationServer();
    const { timers, withDelay } = manualTimers();
    const revoking = revokeAtLogout(undefined, 'app', ['rt'], { fetch, timers }, timers);
    // Not even for a moment: there is nothing to wait for.
    expect(withDelay(2000)).toEqual([]);
    await revoking;
    expect([forms, withDelay(2000)]).toEqual([[], []]);
  });
});
