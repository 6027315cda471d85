import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DPOP_ALGORITHMS, requireAuth } from '../src/index.js';
import { bodyParsingApp, close, EXPRESS_VERSIONS, listen } from './support/app.js';
import { makeProof, startBindingIssuer, type DpopKey } from './support/dpop.js';
import { AUDIENCE, type TestIssuer } from './support/issuer.js';

const ALGS = DPOP_ALGORITHMS.join(' ');

/** A refusal whose error is on the challenge of the scheme the request used, the other scheme bare. */
function expectRefusal(
  res: request.Response,
  scheme: 'DPoP' | 'Bearer',
  status: number,
  error: string,
  description: string,
) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error, error_description: description });
  const params = `error="${error}", error_description="${description}"`;
  expect(res.headers['www-authenticate']).toBe(
    scheme === 'DPoP'
      ? `DPoP algs="${ALGS}", ${params}, Bearer realm="api"`
      : `Bearer realm="api", ${params}, DPoP algs="${ALGS}"`,
  );
}

// RFC 6750 §2 (credentials in one place, no query token unless allowed) holds for the DPoP scheme as
// for Bearer, and each refusal names the scheme the request used (RFC 9449 §7.1, RFC 6750 §3).
describe.each(EXPRESS_VERSIONS)('malformed requests with the DPoP scheme on %s', (_name, express) => {
  let issuer: TestIssuer;
  let server: Server;
  let queryServer: Server;
  let key: DpopKey;
  let bound: string;
  let bearer: string;

  const app = (allowQueryToken: boolean) =>
    bodyParsingApp(
      express,
      requireAuth({
        issuerBaseURL: issuer.issuer,
        audience: AUDIENCE,
        env: {},
        allowQueryToken,
        dpop: { mode: 'allowed' },
      }),
    );

  beforeAll(async () => {
    ({ issuer, key, token: bound } = await startBindingIssuer());
    bearer = await issuer.sign();
    server = await listen(app(false));
    queryServer = await listen(app(true));
  });
  afterAll(async () => {
    await close(server);
    await close(queryServer);
    await issuer.close();
  });

  const htu = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/probe`;
  const dpop = async (s: Server, htm = 'GET', token = bound) => ({
    Authorization: `DPoP ${token}`,
    DPoP: await makeProof(key, { htm, htu: htu(s), accessToken: bound }),
  });

  it('refuses a query token beside DPoP credentials, as beside Bearer ones', async () => {
    const description = 'Access tokens are not accepted in the query string';
    const viaDpop = await request(server)
      .get('/probe?access_token=abc')
      .set(await dpop(server));
    expectRefusal(viaDpop, 'DPoP', 400, 'invalid_request', description);
    const viaBearer = await request(server)
      .get('/probe?access_token=abc')
      .set('Authorization', `Bearer ${bearer}`);
    expectRefusal(viaBearer, 'Bearer', 400, 'invalid_request', description);
  });

  it('refuses an allowed query token beside DPoP credentials as credentials in more than one place', async () => {
    const res = await request(queryServer)
      .get('/probe?access_token=abc')
      .set(await dpop(queryServer));
    expectRefusal(res, 'DPoP', 400, 'invalid_request', 'Credentials in more than one place');
  });

  it('refuses a form body token beside DPoP credentials, as beside Bearer ones', async () => {
    const description = 'Credentials in more than one place';
    const viaDpop = await request(server)
      .post('/probe')
      .set(await dpop(server, 'POST'))
      .type('form')
      .send({ access_token: 'abc' });
    expectRefusal(viaDpop, 'DPoP', 400, 'invalid_request', description);
    const viaBearer = await request(server)
      .post('/probe')
      .set('Authorization', `Bearer ${bearer}`)
      .type('form')
      .send({ access_token: 'abc' });
    expectRefusal(viaBearer, 'Bearer', 400, 'invalid_request', description);
  });

  it('accepts DPoP credentials beside a JSON body with an access_token field (not a credential)', async () => {
    const res = await request(server)
      .post('/probe')
      .set(await dpop(server, 'POST'))
      .send({ access_token: 'abc' });
    expect(res.status).toBe(200);
  });

  it.each<[string, () => string | string[], 'DPoP' | 'Bearer', number, string, string]>([
    ['an empty DPoP token', () => 'DPoP ', 'DPoP', 400, 'invalid_request', 'Empty bearer token'],
    // An array makes Node send the header twice; supertest's types only allow that for Cookie.
    [
      'several DPoP Authorization headers',
      () => [`DPoP ${bound}`, `DPoP ${bound}`],
      'DPoP',
      400,
      'invalid_request',
      'Several Authorization headers',
    ],
    [
      'a DPoP token outside the b64token syntax',
      () => 'DPoP a$b',
      'DPoP',
      401,
      'invalid_token',
      'Malformed token',
    ],
    [
      'a Bearer request carrying a proof',
      () => `Bearer ${bearer}`,
      'Bearer',
      400,
      'invalid_request',
      'A DPoP proof needs the DPoP authorization scheme',
    ],
  ])(
    'puts the error of %s on the challenge of its scheme',
    async (_case, authorization, scheme, status, error, description) => {
      const res = await request(server)
        .get('/probe')
        .set('DPoP', (await dpop(server)).DPoP)
        .set('Authorization', authorization() as string);
      expectRefusal(res, scheme, status, error, description);
    },
  );

  it('still accepts a well-formed DPoP request', async () => {
    const res = await request(server)
      .get('/probe')
      .set(await dpop(server));
    expect(res.status).toBe(200);
  });
});
