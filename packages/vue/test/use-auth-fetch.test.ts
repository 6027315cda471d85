import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { useAuthFetch, type AuthFetch } from '../src/index.js';
import { createTestingAuth, type TestingAuthPlugin } from '../src/testing.js';

// The retry rules themselves are the core's `createAuthFetch` and are pinned there
// (packages/core/test/auth-fetch.test.ts); this checks the bridge to the app's client.

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
  it("sends the app client's token for the audience asked for, and renews it on invalid_token", async () => {
    const auth = createTestingAuth({ accessToken: 'stale' });
    const seen: (string | null)[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Request(input, init).headers.get('authorization'));
      if (seen.length > 1) return new Response('{}', { status: 200 });
      auth.client.accessToken = 'fresh';
      return new Response(null, {
        status: 401,
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      });
    };
    const response = await setup(fetch, auth)('https://api.test/items');
    expect(response.status).toBe(200);
    expect(seen).toEqual(['Bearer stale', 'Bearer fresh']);
    expect(auth.client.calls.getAccessToken).toEqual([
      { audience: 'https://api.test' },
      { audience: 'https://api.test', cacheMode: 'off' },
    ]);
  });

  it('rejects with the client’s error when no token can be had, sending nothing', async () => {
    let sent = 0;
    const fetch = async () => {
      sent++;
      return new Response(null);
    };
    await expect(
      setup(fetch, createTestingAuth({ authenticated: false }))('https://api.test/items'),
    ).rejects.toMatchObject({
      code: 'login_required',
    });
    expect(sent).toBe(0);
  });
});
