import { describe, expect, it } from 'vitest';
import type { GetAccessToken } from '../src/access-token.js';
import { createAuthFetch } from '../src/auth-fetch.js';
import { LoginRequiredError } from '../src/errors.js';
import type { ProofOfPossession } from '../src/http.js';
import { INTERNALS } from '../src/internals.js';
import type { GetAccessTokenOptions } from '../src/token-manager.js';

interface Sent {
  url: string;
  method: string;
  authorization: string | null;
  dpop: string | null;
  body: string;
}

/** A resource server answering from a script of responses, recording what it received. */
function resourceServer(...answers: (() => Response)[]) {
  const sent: Sent[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push({
      url: request.url,
      method: request.method,
      authorization: request.headers.get('authorization'),
      dpop: request.headers.get('dpop'),
      body: await request.text(),
    });
    const answer = answers.shift();
    if (!answer) throw new Error('unexpected request');
    return answer();
  };
  return { fetch, sent };
}

/** Just the part of a client `createAuthFetch` uses; `token` is what the next call hands out. */
function fakeClient(token = 'token-1', proof?: ProofOfPossession) {
  const calls: GetAccessTokenOptions[] = [];
  /** `tokenType`: the `token_type` the server issued the token with. */
  const state = { token, tokenType: proof ? 'DPoP' : 'Bearer', signedIn: true };
  const getAccessToken = (async (options: GetAccessTokenOptions & { detailedResponse?: boolean } = {}) => {
    calls.push(options);
    if (!state.signedIn) throw new LoginRequiredError('not logged in');
    if (!options.detailedResponse) return state.token;
    return { access_token: state.token, token_type: state.tokenType, expires_in: 60, scope: 'openid' };
  }) as GetAccessToken;
  return Object.assign(state, { calls, getAccessToken, [INTERNALS]: { config: { proof } } });
}

const unauthorized =
  (challenge: string, headers: Record<string, string> = {}) =>
  () =>
    new Response(null, { status: 401, headers: { 'WWW-Authenticate': challenge, ...headers } });
const ok = () => () => Response.json({ ok: true });

describe('createAuthFetch', () => {
  it('sends the access token as a Bearer credential, keeping the caller’s headers and body', async () => {
    const api = resourceServer(ok());
    const client = fakeClient();
    const response = await createAuthFetch(client, { fetch: api.fetch, audience: 'https://api.test' })(
      'https://api.test/items',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' },
    );
    expect(response.status).toBe(200);
    expect(api.sent).toEqual([
      {
        url: 'https://api.test/items',
        method: 'POST',
        authorization: 'Bearer token-1',
        dpop: null,
        body: '{"a":1}',
      },
    ]);
    expect(client.calls).toEqual([{ audience: 'https://api.test' }]);
  });

  it.each([
    ['a Bearer challenge', 'Bearer realm="api", error="invalid_token", error_description="jwt expired"'],
    ['a Bearer challenge after a DPoP one', 'DPoP algs="ES256", Bearer error="invalid_token"'],
    ['an unquoted value', 'Bearer error=invalid_token'],
  ])(
    'on 401 invalid_token in %s, gets a fresh token from the server and retries once',
    async (_name, challenge) => {
      const client = fakeClient('stale');
      const api = resourceServer(() => {
        client.token = 'fresh';
        return unauthorized(challenge)();
      }, ok());
      const request = new Request('https://api.test/items', { method: 'PUT', body: 'payload' });
      const response = await createAuthFetch(client, { fetch: api.fetch })(request);
      expect(response.status).toBe(200);
      expect(api.sent.map((s) => [s.authorization, s.body])).toEqual([
        ['Bearer stale', 'payload'],
        ['Bearer fresh', 'payload'],
      ]);
      expect(client.calls).toEqual([{}, { cacheMode: 'off' }]);
    },
  );

  it('retries only once: a second invalid_token answer is returned as is', async () => {
    const challenge = 'Bearer error="invalid_token"';
    const api = resourceServer(unauthorized(challenge), unauthorized(challenge));
    const response = await createAuthFetch(fakeClient(), { fetch: api.fetch })('https://api.test/items');
    expect(response.status).toBe(401);
    expect(api.sent).toHaveLength(2);
  });

  it('does not retry a request whose body was a stream (it cannot be sent twice)', async () => {
    const api = resourceServer(unauthorized('Bearer error="invalid_token"'));
    const client = fakeClient();
    const response = await createAuthFetch(client, { fetch: api.fetch })('https://api.test/upload', {
      method: 'POST',
      body: new Blob(['chunk']).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(401);
    expect(api.sent.map((s) => s.body)).toEqual(['chunk']);
    expect(client.calls).toHaveLength(1);
  });

  it('does not retry a body given as an async iterable (it is consumed by the first attempt)', async () => {
    const api = resourceServer(unauthorized('Bearer error="invalid_token"'));
    const client = fakeClient();
    async function* chunks() {
      yield new TextEncoder().encode('part');
    }
    const response = await createAuthFetch(client, { fetch: api.fetch })('https://api.test/upload', {
      method: 'POST',
      body: chunks(),
      duplex: 'half',
    } as unknown as RequestInit);
    expect(response.status).toBe(401);
    expect(api.sent.map((s) => s.body)).toEqual(['part']);
    expect(client.calls).toHaveLength(1);
  });

  it.each([
    ['a string', () => 'a=1'],
    ['URL parameters', () => new URLSearchParams({ a: '1' })],
    ['bytes', () => new TextEncoder().encode('a=1')],
    ['an ArrayBuffer', () => new TextEncoder().encode('a=1').buffer],
    ['a Blob', () => new Blob(['a=1'])],
  ])('retries %s body with the same bytes', async (_, body) => {
    const api = resourceServer(unauthorized('Bearer error="invalid_token"'), ok());
    const client = fakeClient();
    const response = await createAuthFetch(client, { fetch: api.fetch })('https://api.test/items', {
      method: 'POST',
      body: body(),
    });
    expect(response.status).toBe(200);
    expect(api.sent.map((s) => s.body)).toEqual(['a=1', 'a=1']);
  });

  it('retries form data with the same fields', async () => {
    const api = resourceServer(unauthorized('Bearer error="invalid_token"'), ok());
    const form = new FormData();
    form.set('field', 'value');
    const response = await createAuthFetch(fakeClient(), { fetch: api.fetch })('https://api.test/items', {
      method: 'POST',
      body: form,
    });
    expect(response.status).toBe(200);
    expect(api.sent).toHaveLength(2);
    for (const { body } of api.sent) expect(body).toContain('name="field"\r\n\r\nvalue');
  });

  it.each([
    ['a bare challenge', 401, 'Bearer realm="api"'],
    ['insufficient_scope', 403, 'Bearer error="insufficient_scope", scope="admin"'],
    [
      'invalid_token only in a description',
      401,
      'Bearer error="invalid_request", error_description="error=invalid_token"',
    ],
    ['another scheme', 401, 'Basic error="invalid_token"'],
    ['only the DPoP challenge, for a Bearer token', 401, 'DPoP error="invalid_token", Bearer realm="api"'],
  ])('does not retry on %s', async (_name, status, challenge) => {
    const api = resourceServer(
      () => new Response(null, { status, headers: { 'WWW-Authenticate': challenge } }),
    );
    const client = fakeClient();
    const response = await createAuthFetch(client, { fetch: api.fetch })('https://api.test/items');
    expect(response.status).toBe(status);
    expect(api.sent).toHaveLength(1);
    expect(client.calls).toHaveLength(1);
  });

  it('rejects with the client’s error when no token can be had, sending nothing', async () => {
    const api = resourceServer();
    const client = fakeClient();
    client.signedIn = false;
    await expect(
      createAuthFetch(client, { fetch: api.fetch })('https://api.test/items'),
    ).rejects.toMatchObject({
      code: 'login_required',
    });
    expect(api.sent).toEqual([]);
  });
});

describe('createAuthFetch with a proof-of-possession module', () => {
  /** A stand-in for DPoP: numbered proofs, and a retry when the API hands out a nonce. */
  function fakeProof() {
    const requests: { method: string; url: string; accessToken?: string | undefined }[] = [];
    /** The URLs whose answers the module was shown (`undefined` when it was not told). */
    const shown: string[] = [];
    let nonce: string | null = null;
    const proof: ProofOfPossession = {
      tokenType: 'DPoP',
      async headers(request) {
        requests.push(request);
        return { DPoP: `proof-${requests.length}${nonce ? `-${nonce}` : ''}` };
      },
      retry({ headers, url }) {
        shown.push(String(url));
        const next = headers.get('dpop-nonce');
        const fresh = next !== null && next !== nonce;
        nonce = next;
        return fresh;
      },
    };
    return { proof, requests, shown };
  }

  it('sends `Authorization: DPoP` with a proof for the method and URL', async () => {
    const { proof, requests } = fakeProof();
    const api = resourceServer(ok());
    await createAuthFetch(fakeClient('t', proof), { fetch: api.fetch })('https://api.test/items', {
      method: 'DELETE',
    });
    expect(api.sent.map((s) => [s.authorization, s.dpop])).toEqual([['DPoP t', 'proof-1']]);
    expect(requests).toEqual([{ method: 'DELETE', url: 'https://api.test/items', accessToken: 't' }]);
  });

  it('on a 401 with a new DPoP-Nonce, sends once more with the same token and a fresh proof', async () => {
    const { proof } = fakeProof();
    const client = fakeClient('t', proof);
    const api = resourceServer(unauthorized('DPoP error="use_dpop_nonce"', { 'DPoP-Nonce': 'n1' }), ok());
    const response = await createAuthFetch(client, { fetch: api.fetch })('https://api.test/items');
    expect(response.status).toBe(200);
    expect(api.sent.map((s) => [s.authorization, s.dpop])).toEqual([
      ['DPoP t', 'proof-1'],
      ['DPoP t', 'proof-2-n1'],
    ]);
    expect(client.calls).toHaveLength(1);
  });

  it('on a 401 invalid_token for the DPoP scheme, gets a fresh token', async () => {
    const { proof } = fakeProof();
    const client = fakeClient('stale', proof);
    const api = resourceServer(() => {
      client.token = 'fresh';
      return unauthorized('DPoP error="invalid_token", algs="ES256"')();
    }, ok());
    expect((await createAuthFetch(client, { fetch: api.fetch })('https://api.test/items')).status).toBe(200);
    expect(api.sent.map((s) => s.authorization)).toEqual(['DPoP stale', 'DPoP fresh']);
  });

  it('sends a Bearer token the server did not bind as Bearer, with no proof', async () => {
    const { proof, requests } = fakeProof();
    const client = fakeClient('unbound', proof);
    client.tokenType = 'Bearer';
    const api = resourceServer(ok());
    await createAuthFetch(client, { fetch: api.fetch })('https://api.test/items');
    expect(api.sent.map((s) => [s.authorization, s.dpop])).toEqual([['Bearer unbound', null]]);
    expect(requests).toHaveLength(0);
  });

  it('proves a GET for a URL given without init, and shows the module the answer for that URL', async () => {
    const { proof, requests, shown } = fakeProof();
    const api = resourceServer(ok());
    await createAuthFetch(fakeClient('t', proof), { fetch: api.fetch })(new URL('https://api.test/items'));
    expect(requests).toEqual([{ method: 'GET', url: 'https://api.test/items', accessToken: 't' }]);
    expect(shown).toEqual(['https://api.test/items']);
  });

  it("proves a Request's method and URL, and shows the module the answer for that URL", async () => {
    const { proof, requests, shown } = fakeProof();
    const api = resourceServer(ok());
    const request = new Request('https://api.test/items?page=2', { method: 'PUT', body: 'x' });
    await createAuthFetch(fakeClient('t', proof), { fetch: api.fetch })(request);
    expect(requests).toEqual([{ method: 'PUT', url: 'https://api.test/items?page=2', accessToken: 't' }]);
    expect(shown).toEqual(['https://api.test/items?page=2']);
  });

  it('returns a success that brings a new DPoP-Nonce as it is, sending nothing more', async () => {
    const { proof } = fakeProof();
    const api = resourceServer(() => Response.json({ ok: true }, { headers: { 'DPoP-Nonce': 'n1' } }));
    const response = await createAuthFetch(fakeClient('t', proof), { fetch: api.fetch })(
      'https://api.test/items',
    );
    expect(response.status).toBe(200);
    expect(api.sent).toHaveLength(1);
  });

  it('after the proof was redone for a nonce, still gets a fresh token for invalid_token', async () => {
    const { proof } = fakeProof();
    const client = fakeClient('stale', proof);
    const api = resourceServer(
      unauthorized('DPoP error="use_dpop_nonce"', { 'DPoP-Nonce': 'n1' }),
      () => {
        client.token = 'fresh';
        return unauthorized('DPoP error="invalid_token"')();
      },
      ok(),
    );
    const response = await createAuthFetch(client, { fetch: api.fetch })('https://api.test/items');
    expect(response.status).toBe(200);
    expect(api.sent.map((s) => s.authorization)).toEqual(['DPoP stale', 'DPoP stale', 'DPoP fresh']);
  });
});

describe('createAuthFetch around any token source', () => {
  it('sends the token of an object that only hands out tokens (no grantflow client behind it)', async () => {
    const api = resourceServer(ok());
    const source = { getAccessToken: async () => 'plain' };
    await createAuthFetch(source, { fetch: api.fetch })('https://api.test/items');
    expect(api.sent.map((s) => s.authorization)).toEqual(['Bearer plain']);
  });

  it("keeps a Request's own headers, adding the token", async () => {
    const seen: Headers[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Request(input, init).headers);
      return Response.json({ ok: true });
    };
    const request = new Request('https://api.test/items', { headers: { 'X-Trace': 'abc' } });
    await createAuthFetch(fakeClient('t'), { fetch })(request);
    expect(Object.fromEntries(seen[0]!)).toEqual({ authorization: 'Bearer t', 'x-trace': 'abc' });
  });
});
