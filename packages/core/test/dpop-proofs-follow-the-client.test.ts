import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDpopProof, dpop, memoryKeyStore } from '../src/dpop.js';
import type { AuthClientOptions } from '../src/index.js';
import { offlineClient } from './support.js';

const CLOCK = Date.UTC(2030, 0, 1, 12, 0, 0, 750);
const request = { method: 'GET', url: 'https://api.example/things', accessToken: 'at' };
const iatOf = (proof: string) =>
  (JSON.parse(Buffer.from(proof.split('.')[1]!, 'base64url').toString()) as { iat: number }).iat;

/** A client on a fixed clock whose token endpoint records the proofs it is sent. */
function client(options: Partial<AuthClientOptions>) {
  const navigations: string[] = [];
  const sent: string[] = [];
  const { client: created } = offlineClient({}, async () => Response.json({}), {
    scope: 'read:things',
    now: () => CLOCK,
    navigate: (url) => void navigations.push(url),
    fetch: async (_url, init) => {
      sent.push(new Headers(init.headers).get('dpop')!);
      return Response.json({ access_token: 'at', token_type: 'DPoP', expires_in: 600 });
    },
    ...options,
  });
  const signIn = async () => {
    await created.loginWithRedirect();
    const state = new URL(navigations[0]!).searchParams.get('state');
    await created.handleRedirectCallback(`https://app.example/callback?code=c&state=${state}`);
  };
  return { client: created, sent, signIn };
}

describe('DPoP proofs follow the client they are given to', () => {
  it("date their iat by the client's clock, on token requests and the app's own requests", async () => {
    const { client: created, sent, signIn } = client({ proof: dpop({ keyStore: memoryKeyStore() }) });
    await signIn();
    expect(sent.map(iatOf)).toEqual([Math.floor(CLOCK / 1000)]);
    expect(iatOf(await createDpopProof(created, request))).toBe(Math.floor(CLOCK / 1000));
  });

  it('keep the clock given to dpop() itself', async () => {
    const own = Date.UTC(2031, 5, 1);
    const { client: created } = client({ proof: dpop({ keyStore: memoryKeyStore(), now: () => own }) });
    expect(iatOf(await createDpopProof(created, request))).toBe(own / 1000);
  });

  it("sign with the client's environment crypto, unless dpop() was given its own", async () => {
    const signed: string[] = [];
    const counting = (name: string): Pick<Crypto, 'subtle' | 'getRandomValues'> => ({
      getRandomValues: webcrypto.getRandomValues.bind(webcrypto) as Crypto['getRandomValues'],
      subtle: new Proxy(webcrypto.subtle, {
        get: (subtle, member) => {
          if (member === 'sign') signed.push(name);
          const value = Reflect.get(subtle, member) as unknown;
          return typeof value === 'function' ? value.bind(subtle) : value;
        },
      }) as SubtleCrypto,
    });
    const environment = { crypto: counting('environment') };
    const plain = client({ proof: dpop({ keyStore: memoryKeyStore() }), environment }).client;
    await createDpopProof(plain, request);
    const given = dpop({ keyStore: memoryKeyStore(), crypto: counting('dpop') });
    await createDpopProof(client({ proof: given, environment }).client, request);
    expect(signed).toEqual(['environment', 'dpop']);
  });
});
