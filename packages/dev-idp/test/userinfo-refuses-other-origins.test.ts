import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ALICE,
  APP_ORIGIN,
  REDIRECT_URI,
  devIdpForFile,
  dpopProof,
  signInForBoundTokens,
  signInForTokens,
} from './support.js';

const started = devIdpForFile({ redirectUris: [REDIRECT_URI], corsOrigins: [APP_ORIGIN] });

const FOREIGN = 'http://evil.test';
const KINDS = { opaque: { audience: undefined }, API: {} };
type Kind = keyof typeof KINDS;

const tokenOf = async (kind: Kind) => (await signInForTokens(started.discovery, ALICE, KINDS[kind])).body;

/** A page's `fetch` with the token in the header, or a simple form POST (no preflight) with it in the body. */
function userinfo(how: 'GET' | 'POST', token: string, origin?: string): Promise<Response> {
  const from: Record<string, string> = origin === undefined ? {} : { origin };
  if (how === 'GET') {
    return fetch(started.discovery.userinfo_endpoint, {
      headers: { ...from, authorization: `Bearer ${token}` },
    });
  }
  return fetch(started.discovery.userinfo_endpoint, {
    method: 'POST',
    headers: { ...from, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ access_token: token }),
  });
}

/** What a browser page learns from an answer, and what tells a client why it was refused. */
async function answer(response: Response) {
  return {
    status: response.status,
    allowOrigin: response.headers.get('access-control-allow-origin'),
    challenge: response.headers.get('www-authenticate'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

const CLAIMS = { sub: 'alice', email: 'alice@example.com', email_verified: true, name: 'Alice Example' };

describe.each(['GET', 'POST'] as const)('userinfo by %s from a browser origin', (how) => {
  it.each(['opaque', 'API'] as const)('answers an %s token from a configured origin', async (kind) => {
    const { access_token } = await tokenOf(kind);
    expect(await answer(await userinfo(how, access_token!, APP_ORIGIN))).toEqual({
      status: 200,
      allowOrigin: APP_ORIGIN,
      challenge: null,
      body: CLAIMS,
    });
  });

  it.each(['opaque', 'API'] as const)('refuses an %s token from any other origin', async (kind) => {
    const { access_token } = await tokenOf(kind);
    const description = `origin ${FOREIGN} not allowed for client: grantflow-demo`;
    expect(await answer(await userinfo(how, access_token!, FOREIGN))).toEqual({
      status: 400,
      allowOrigin: null,
      challenge: `Bearer realm="${started.idp.issuer}", error="invalid_request", error_description="${description}"`,
      body: { error: 'invalid_request', error_description: description },
    });
  });

  it.each(['opaque', 'API'] as const)('answers an %s token sent without an Origin', async (kind) => {
    const { access_token } = await tokenOf(kind);
    const response = await userinfo(how, access_token!);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(CLAIMS);
  });
});

describe('a DPoP-bound token from another origin', () => {
  it('is refused in the DPoP scheme, an API token as an opaque one', async () => {
    const refusal = async (extra: Record<string, string | undefined>) => {
      const key = await generateKeyPair('ES256');
      const token = (await signInForBoundTokens(started.discovery, key, extra)).body.access_token!;
      const htu = started.discovery.userinfo_endpoint;
      const dpop = await dpopProof(key, { htm: 'GET', htu, accessToken: token });
      return answer(await fetch(htu, { headers: { authorization: `DPoP ${token}`, dpop, origin: FOREIGN } }));
    };
    const forOpaque = await refusal(KINDS.opaque);
    expect(forOpaque).toMatchObject({
      status: 400,
      allowOrigin: null,
      challenge: expect.stringMatching(/^DPoP realm=.*error="invalid_request".*algs="/),
    });
    expect(await refusal(KINDS.API)).toEqual(forOpaque);
  });
});
