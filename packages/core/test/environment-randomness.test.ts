import { describe, expect, it } from 'vitest';
import { offlineClient } from './support.js';

describe("the environment's crypto", () => {
  it('makes the verifier, state and nonce when no `random` option is given', async () => {
    const navigations: string[] = [];
    let calls = 0;
    const platform = globalThis.crypto;
    const crypto: Pick<Crypto, 'getRandomValues' | 'subtle'> = {
      subtle: platform.subtle,
      getRandomValues: (bytes) => {
        calls++;
        return platform.getRandomValues(bytes);
      },
    };
    const { client } = offlineClient({}, async () => new Response(null, { status: 500 }), {
      environment: { crypto },
      navigate: (url) => void navigations.push(url),
    });
    await client.loginWithRedirect();
    // code_verifier, state and nonce: one draw each.
    expect(calls).toBe(3);
    const url = new URL(navigations[0]!);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
  });
});
