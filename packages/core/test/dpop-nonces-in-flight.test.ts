import { describe, expect, it } from 'vitest';
import { createAuthFetch } from '../src/auth-fetch.js';
import { dpop, memoryKeyStore } from '../src/dpop.js';
import { refreshTokens } from '../src/token-endpoint.js';
import { fetchUserInfo } from '../src/userinfo.js';
import { fakeClient } from './resource-server.js';

const nonceOf = (init: RequestInit | undefined): unknown => {
  const proof = new Headers(init?.headers).get('dpop');
  return proof
    ? JSON.parse(Buffer.from(proof.split('.')[1]!, 'base64url').toString('utf8')).nonce
    : undefined;
};

const useNonce = (nonce: string) =>
  new Response(null, {
    status: 401,
    headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': nonce },
  });

describe('a server nonce that arrives while several requests are out (RFC 9449 §8, §9)', () => {
  it('is followed once by each request that was sent without it', async () => {
    const proof = dpop({ keyStore: memoryKeyStore() });
    const held: (() => void)[] = [];
    let first = 3;
    // The API answers once all three requests are in, so none of them could know the nonce yet.
    const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
      const answer = nonceOf(init) === 'N1' ? Response.json({ ok: true }) : useNonce('N1');
      if (first > 0) {
        first--;
        await new Promise<void>((resolve) => {
          held.push(resolve);
          if (first === 0) held.forEach((release) => release());
        });
      }
      return answer;
    };
    const authFetch = createAuthFetch(fakeClient('t', proof), { fetch });
    const statuses = await Promise.all([1, 2, 3].map((n) => authFetch(`https://api.test/items/${n}`)));
    expect(statuses.map((response) => response.status)).toEqual([200, 200, 200]);
  });

  it('from a token endpoint is followed once, and the next one a success brings is kept', async () => {
    const proof = dpop({ keyStore: memoryKeyStore() });
    const seen: unknown[] = [];
    const endpoint = 'https://idp.test/token';
    const fetch = async (_url: string, init: RequestInit) => {
      seen.push(nonceOf(init));
      if (nonceOf(init) === undefined) {
        return Response.json({ error: 'use_dpop_nonce' }, { status: 400, headers: { 'DPoP-Nonce': 'A1' } });
      }
      return Response.json(
        { access_token: 'at', token_type: 'DPoP', expires_in: 60 },
        { headers: { 'DPoP-Nonce': 'A2' } },
      );
    };
    await refreshTokens(endpoint, { client_id: 'app', refresh_token: 'rt' }, { fetch, proof });
    expect(seen).toEqual([undefined, 'A1']);
    // The nonce the success brought is the one the next proof carries.
    expect(nonceOf({ headers: await proof.headers({ method: 'POST', url: endpoint }) })).toBe('A2');
  });
});

describe('getUserInfo with a DPoP-bound token', () => {
  it('follows the userinfo endpoint’s use_dpop_nonce once, as any resource server’s', async () => {
    const proof = dpop({ keyStore: memoryKeyStore() });
    const seen: unknown[] = [];
    const fetch = async (_url: string, init: RequestInit) => {
      seen.push(nonceOf(init));
      return nonceOf(init) === 'U1' ? Response.json({ sub: 'u' }) : useNonce('U1');
    };
    await expect(fetchUserInfo('https://idp.test/userinfo', 'at', 'u', { fetch, proof })).resolves.toEqual({
      sub: 'u',
    });
    expect(seen).toEqual([undefined, 'U1']);
  });
});
