// A resource server and a token source for `createAuthFetch`'s unit tests.
import type { GetAccessToken } from '../src/access-token.js';
import { LoginRequiredError } from '../src/errors.js';
import type { ProofOfPossession } from '../src/http.js';
import { INTERNALS } from '../src/internals.js';
import type { GetAccessTokenOptions } from '../src/token-manager.js';

export interface Sent {
  url: string;
  method: string;
  authorization: string | null;
  dpop: string | null;
  body: string;
}

/** A resource server answering from a script of responses, recording what it received. */
export function resourceServer(...answers: (() => Response)[]) {
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
/** `page`: the address of the page the client runs in (relative URLs resolve against it). */
export function fakeClient(token = 'token-1', proof?: ProofOfPossession, page?: string) {
  const calls: GetAccessTokenOptions[] = [];
  /** `tokenType`: the `token_type` the server issued the token with. */
  const state = { token, tokenType: proof ? 'DPoP' : 'Bearer', signedIn: true };
  const getAccessToken = (async (options: GetAccessTokenOptions & { detailedResponse?: boolean } = {}) => {
    calls.push(options);
    if (!state.signedIn) throw new LoginRequiredError('not logged in');
    if (!options.detailedResponse) return state.token;
    return { access_token: state.token, token_type: state.tokenType, expires_in: 60, scope: 'openid' };
  }) as GetAccessToken;
  return Object.assign(state, {
    calls,
    getAccessToken,
    [INTERNALS]: {
      config: { proof, environment: { location: page === undefined ? undefined : { href: page } } },
    },
  });
}

export const unauthorized =
  (challenge: string, headers: Record<string, string> = {}) =>
  () =>
    new Response(null, { status: 401, headers: { 'WWW-Authenticate': challenge, ...headers } });
export const ok = () => () => Response.json({ ok: true });

/** A stand-in for DPoP: numbered proofs, and a retry when the API hands out a nonce. */
export function fakeProof() {
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
