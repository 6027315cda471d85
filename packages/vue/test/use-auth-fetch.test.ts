import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { useAuthFetch, type AuthFetch } from '../src';
import { createTestingAuth, type TestingAuthPlugin } from '../src/testing';

interface Sent {
  url: string;
  method: string;
  authorization: string | null;
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
      body: await request.text(),
    });
    const answer = answers.shift();
    if (!answer) throw new Error('unexpected request');
    return answer();
  };
  return { fetch, sent };
}

const unauthorized = (challenge: string) => () =>
  new Response('{"error":"invalid_token"}', { status: 401, headers: { 'WWW-Authenticate': challenge } });
const ok = () => () =>
  new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } });

function setup(fetch: typeof globalThis.fetch, auth: TestingAuthPlugin) {
  let authFetch!: AuthFetch;
  const Probe = defineComponent({
    setup() {
      authFetch = useAuthFetch({ fetch, audience: 'https://api.test' });
      return () => h('p');
    },
  });
  mount(Probe, { global: { plugins: [auth] } });
  return authFetch;
}

describe('useAuthFetch', () => {
  it('sends the access token as a Bearer credential, keeping the caller’s headers and body', async () => {
    const api = resourceServer(ok());
    const auth = createTestingAuth({ accessToken: 'token-1' });
    const response = await setup(api.fetch, auth)('https://api.test/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(response.status).toBe(200);
    expect(api.sent).toEqual([
      { url: 'https://api.test/items', method: 'POST', authorization: 'Bearer token-1', body: '{"a":1}' },
    ]);
    expect(auth.client.calls.getAccessToken).toEqual([{ audience: 'https://api.test' }]);
  });

  it('on 401 invalid_token gets a fresh token from the server and retries once', async () => {
    const auth = createTestingAuth({ accessToken: 'stale' });
    const api = resourceServer(() => {
      auth.client.accessToken = 'fresh';
      return unauthorized('Bearer realm="api", error="invalid_token", error_description="jwt expired"')();
    }, ok());
    const request = new Request('https://api.test/items', { method: 'PUT', body: 'payload' });
    const response = await setup(api.fetch, auth)(request);
    await flushPromises();

    expect(response.status).toBe(200);
    expect(api.sent.map((s) => [s.authorization, s.body])).toEqual([
      ['Bearer stale', 'payload'],
      ['Bearer fresh', 'payload'],
    ]);
    expect(auth.client.calls.getAccessToken).toEqual([
      { audience: 'https://api.test' },
      { audience: 'https://api.test', cacheMode: 'off' },
    ]);
  });

  it('retries only once: a second invalid_token answer is returned as is', async () => {
    const challenge = 'Bearer error="invalid_token"';
    const api = resourceServer(unauthorized(challenge), unauthorized(challenge));
    const response = await setup(api.fetch, createTestingAuth())('https://api.test/items');
    expect(response.status).toBe(401);
    expect(api.sent).toHaveLength(2);
  });

  it('does not retry a request whose body was a stream (it cannot be sent twice): the 401 comes back', async () => {
    const api = resourceServer(unauthorized('Bearer error="invalid_token"'));
    const auth = createTestingAuth();
    const body = new Blob(['chunk']).stream();
    const response = await setup(api.fetch, auth)('https://api.test/upload', {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(401);
    expect(api.sent.map((s) => s.body)).toEqual(['chunk']);
    expect(auth.client.calls.getAccessToken).toHaveLength(1);
  });

  it.each([
    ['a bare challenge (no token sent or accepted)', 401, 'Bearer realm="api"'],
    ['insufficient_scope', 403, 'Bearer error="insufficient_scope", scope="admin:appointments"'],
    ['another scheme', 401, 'Basic error="invalid_token"'],
  ])('does not retry on %s', async (_name, status, challenge) => {
    const api = resourceServer(
      () => new Response(null, { status, headers: { 'WWW-Authenticate': challenge } }),
    );
    const auth = createTestingAuth();
    const response = await setup(api.fetch, auth)('https://api.test/items');
    expect(response.status).toBe(status);
    expect(api.sent).toHaveLength(1);
    expect(auth.client.calls.getAccessToken).toHaveLength(1);
  });

  it('rejects with the client’s error when no token can be had, sending nothing', async () => {
    const api = resourceServer();
    const auth = createTestingAuth({ authenticated: false });
    await expect(setup(api.fetch, auth)('https://api.test/items')).rejects.toMatchObject({
      code: 'login_required',
    });
    expect(api.sent).toEqual([]);
  });
});
