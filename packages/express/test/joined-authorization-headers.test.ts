import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DPOP_ALGORITHMS, requireAuth } from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen, probeApp } from './support/app.js';
import { makeProof, startBindingIssuer, type DpopKey } from './support/dpop.js';
import { AUDIENCE, type TestIssuer } from './support/issuer.js';

const DESCRIPTION = 'Several Authorization headers';

// fetch (undici) and many proxies join repeated headers into one line separated by commas (RFC 9110
// §5.3). A b64token (RFC 6750 §2.1) never holds a comma, so such a line is several Authorization
// headers: 400 invalid_request (issue 4), the answer separate header lines get, not 401 "Malformed".
describe.each(EXPRESS_VERSIONS)('Authorization headers joined into one line on %s', (_name, express) => {
  let issuer: TestIssuer;
  let key: DpopKey;
  let bound: string;
  let bearer: string;
  let bearerOnly: Server;
  let withDpop: Server;

  beforeAll(async () => {
    ({ issuer, key, token: bound } = await startBindingIssuer());
    bearer = await issuer.sign();
    const auth = (dpop?: { mode: 'allowed' }) =>
      requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {}, ...(dpop ? { dpop } : {}) });
    bearerOnly = await listen(probeApp(express, auth()));
    withDpop = await listen(probeApp(express, auth({ mode: 'allowed' })));
  });
  afterAll(async () => {
    await close(bearerOnly);
    await close(withDpop);
    await issuer.close();
  });

  const url = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/probe`;

  /** A request made by fetch with the Authorization header appended once per value. */
  async function send(server: Server, authorizations: string[], proof?: string) {
    const headers = new Headers();
    for (const value of authorizations) headers.append('Authorization', value);
    if (proof !== undefined) headers.set('DPoP', proof);
    const res = await fetch(url(server), { headers });
    return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.json() };
  }

  it.each([
    ['two Bearer credentials', () => [`Bearer ${bearer}`, `Bearer ${bearer}`]],
    ['Bearer then Basic credentials', () => [`Bearer ${bearer}`, 'Basic eDp5']],
    ['Basic then Bearer credentials', () => ['Basic eDp5', `Bearer ${bearer}`]],
    ['Basic then DPoP credentials', () => ['Basic eDp5', `DPoP ${bound}`]],
    ['one Bearer line holding a comma-separated list', () => [`Bearer ${bearer}, Bearer ${bearer}`]],
  ])('refuses %s with 400 invalid_request', async (_case, authorizations) => {
    const res = await send(bearerOnly, authorizations());
    expect(res).toEqual({
      status: 400,
      challenge: `Bearer realm="api", error="invalid_request", error_description="${DESCRIPTION}"`,
      body: { error: 'invalid_request', error_description: DESCRIPTION },
    });
    expect((await send(bearerOnly, [`Bearer ${bearer}`])).status).toBe(200);
  });

  it("leaves another scheme's own commas alone: a Digest header alone is no credential of ours (401)", async () => {
    const res = await send(bearerOnly, ['Digest username="a", realm="b", nonce="c"']);
    expect(res.status).toBe(401);
    expect(res.challenge).toBe('Bearer realm="api"');
  });

  it('refuses two DPoP credentials with 400 invalid_request on the DPoP challenge', async () => {
    const proof = () => makeProof(key, { htu: url(withDpop), accessToken: bound });
    const res = await send(withDpop, [`DPoP ${bound}`, `DPoP ${bound}`], await proof());
    const params = `error="invalid_request", error_description="${DESCRIPTION}"`;
    expect(res).toEqual({
      status: 400,
      challenge: `DPoP algs="${DPOP_ALGORITHMS.join(' ')}", ${params}, Bearer realm="api"`,
      body: { error: 'invalid_request', error_description: DESCRIPTION },
    });
    expect((await send(withDpop, [`DPoP ${bound}`], await proof())).status).toBe(200);
  });
});
