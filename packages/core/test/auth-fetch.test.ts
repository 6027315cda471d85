import { describe, expect, it } from 'vitest';
import { createAuthFetch } from '../src/auth-fetch.js';
import { fakeClient, fakeProof, ok, resourceServer, unauthorized } from './resource-server.js';

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

  it('proves a relative URL as the absolute one fetch sends it to, and passes it to fetch as given', async () => {
    const { proof, requests, shown } = fakeProof();
    const given: string[] = [];
    const fetch = async (input: RequestInfo | URL) => {
      given.push(String(input));
      return Response.json({ ok: true });
    };
    const client = fakeClient('t', proof, 'https://app.test/orders/7?tab=1');
    await createAuthFetch(client, { fetch })('../items?page=2');
    expect(requests).toEqual([{ method: 'GET', url: 'https://app.test/items?page=2', accessToken: 't' }]);
    expect(shown).toEqual(['https://app.test/items?page=2']);
    expect(given).toEqual(['../items?page=2']);
  });

  it('without a page address (Node), proves and sends a relative URL as given', async () => {
    const { proof, requests } = fakeProof();
    const given: string[] = [];
    const fetch = async (input: RequestInfo | URL) => {
      given.push(String(input));
      return Response.json({ ok: true });
    };
    await createAuthFetch(fakeClient('t', proof), { fetch })('/items');
    expect(requests).toEqual([{ method: 'GET', url: '/items', accessToken: 't' }]);
    expect(given).toEqual(['/items']);
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

  it('with the fresh token, follows a nonce the API then asks for (RFC 9449 §9) once more', async () => {
    const { proof } = fakeProof();
    const client = fakeClient('stale', proof);
    const api = resourceServer(
      () => {
        client.token = 'fresh';
        return unauthorized('DPoP error="invalid_token"')();
      },
      unauthorized('DPoP error="use_dpop_nonce"', { 'DPoP-Nonce': 'n1' }),
      ok(),
    );
    const response = await createAuthFetch(client, { fetch: api.fetch })('https://api.test/items');
    expect(response.status).toBe(200);
    expect(api.sent.map((s) => [s.authorization, s.dpop])).toEqual([
      ['DPoP stale', 'proof-1'],
      ['DPoP fresh', 'proof-2'],
      ['DPoP fresh', 'proof-3-n1'],
    ]);
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

describe('createAuthFetch gets a fresh token only for a 401', () => {
  const forbidden = () =>
    new Response(null, { status: 403, headers: { 'WWW-Authenticate': 'DPoP error="invalid_token"' } });
  const nonceChallenge = unauthorized('DPoP error="use_dpop_nonce"', { 'DPoP-Nonce': 'n1' });

  it.each([
    ['as the first answer', []],
    ['after the proof was redone for a nonce', [nonceChallenge]],
  ])('returns a 403 naming invalid_token as it is, %s', async (_name, before) => {
    const { proof } = fakeProof();
    const client = fakeClient('t', proof);
    const api = resourceServer(...before, forbidden);
    const response = await createAuthFetch(client, { fetch: api.fetch })('https://api.test/items');
    expect(response.status).toBe(403);
    expect(api.sent.map((s) => s.authorization)).toEqual([...before, forbidden].map(() => 'DPoP t'));
    expect(client.calls).toHaveLength(1);
  });
});
