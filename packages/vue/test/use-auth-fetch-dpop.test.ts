import { createAuthClient, memoryStorage } from '@grantflow/core';
import { dpop } from '@grantflow/core/dpop';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { createAuth, useAuthFetch, type AuthFetch } from '../src/index.js';

// The DPoP rules are the core's (packages/core/test/dpop-*.test.ts); this checks that an app using
// useAuthFetch sends them with no code of its own, given a client created with `proof: dpop()`.
const AUDIENCE = 'https://api.test';
const payload = (proof: string) =>
  JSON.parse(atob(proof.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));

function signedInClient() {
  const storage = memoryStorage();
  const claims = { iss: 'https://idp.test', sub: 'alice', aud: 'app', exp: 4_000_000_000, iat: 1 };
  storage.set(
    'grantflow.app.session',
    JSON.stringify({
      claims,
      refresh_tokens: {},
      tokens: {
        [`${AUDIENCE} openid`]: {
          access_token: 'bound',
          expires_at: 4_000_000_000_000,
          scope: 'openid',
          token_type: 'DPoP',
        },
      },
    }),
  );
  return createAuthClient({
    issuer: 'https://idp.test',
    clientId: 'app',
    redirectUri: 'https://app.test/callback',
    audience: AUDIENCE,
    scope: 'openid',
    storage,
    proof: dpop(),
  });
}

describe('useAuthFetch with a DPoP client', () => {
  it('sends Authorization: DPoP with a proof per request, and follows the API nonce once', async () => {
    const client = signedInClient();
    const seen: Request[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Request(input, init));
      if (seen.length > 1) return new Response('{}', { status: 200 });
      return new Response(null, {
        status: 401,
        headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce", algs="ES256"', 'DPoP-Nonce': 'n-1' },
      });
    };
    let authFetch!: AuthFetch;
    const Probe = defineComponent({
      setup() {
        authFetch = useAuthFetch({ fetch });
        return () => h('p');
      },
    });
    mount(Probe, { global: { plugins: [createAuth(client)] } });
    const response = await authFetch('https://api.test/items?page=2', { method: 'POST' });
    expect(response.status).toBe(200);
    expect(seen.map((r) => r.headers.get('authorization'))).toEqual(['DPoP bound', 'DPoP bound']);
    const [first, second] = seen.map((r) => payload(r.headers.get('dpop')!));
    expect(first).toMatchObject({ htm: 'POST', htu: 'https://api.test/items', ath: expect.any(String) });
    expect(first.nonce).toBeUndefined();
    expect(second.nonce).toBe('n-1');
    expect(second.jti).not.toBe(first.jti);
  });
});
