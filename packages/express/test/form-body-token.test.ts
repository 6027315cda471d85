import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth } from '../src/index.js';
import { expectAnswer } from './support/answers.js';
import { bodyParsingApp, close, EXPRESS_VERSIONS, listen } from './support/app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

const expectSeveralPlaces = (res: Response) =>
  expectAnswer(res, 400, 'invalid_request', 'Credentials in more than one place');

function expectBare401(res: { status: number; headers: Record<string, unknown> }) {
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
}

/** Sends a form-encoded body with any method (supertest drops a HEAD's body); status and headers. */
function sendForm(server: Server, method: string, body: string, headers: Record<string, string> = {}) {
  const { port } = server.address() as AddressInfo;
  return new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = httpRequest({ port, host: '127.0.0.1', method, path: '/probe' }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on('error', reject);
    req.setHeader('Content-Type', 'application/x-www-form-urlencoded');
    // Node frames no body of its own for these methods (no chunked encoding by default).
    req.setHeader('Content-Length', Buffer.byteLength(body));
    for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
    req.end(body);
  });
}

describe.each(EXPRESS_VERSIONS)('RFC 6750 §2.2 form-encoded body tokens on %s', (_name, express) => {
  let issuer: TestIssuer;
  let server: Server;
  let queryServer: Server;
  let token: string;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const app = (allowQueryToken: boolean) =>
      bodyParsingApp(
        express,
        requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, allowQueryToken, env: {} }),
      );
    server = await listen(app(false));
    queryServer = await listen(app(true));
    token = await issuer.sign();
  });
  afterAll(async () => {
    await close(server);
    await close(queryServer);
    await issuer.close();
  });

  it.each(['POST', 'PUT', 'PATCH'] as const)('accepts a token in a form-encoded %s body', async (method) => {
    const res = await request(server)
      [method.toLowerCase() as 'post']('/probe')
      .type('form')
      .send({ access_token: token, other: 'x' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sub: 'user-1' });
  });

  it('refuses an invalid form body token with 401 invalid_token', async () => {
    const res = await request(server)
      .post('/probe')
      .type('form')
      .send({ access_token: await issuer.signWithForeignKey() });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
  });

  it.each(['POST', 'PUT', 'PATCH'] as const)(
    'refuses a body token beside an Authorization header (%s) with 400 invalid_request',
    async (method) => {
      const form = await request(server)
        [method.toLowerCase() as 'post']('/probe')
        .set('Authorization', `Bearer ${token}`)
        .type('form')
        .send({ access_token: token });
      expectSeveralPlaces(form);
    },
  );

  // RFC 6750 §2.2: only a form-encoded body carries a credential; a JSON field of that name is data.
  it.each(['POST', 'PUT', 'PATCH'] as const)(
    'reads the Authorization header beside a JSON body with an access_token field (%s)',
    async (method) => {
      const json = await request(server)
        [method.toLowerCase() as 'post']('/probe')
        .set('Authorization', `Bearer ${token}`)
        .send({ access_token: 'x' });
      expect(json.status).toBe(200);
      expect(json.body).toEqual({ sub: 'user-1' });
    },
  );

  it('reads the query token beside a JSON body with an access_token field', async () => {
    const res = await request(queryServer).post(`/probe?access_token=${token}`).send({ access_token: 'x' });
    expect(res.status).toBe(200);
  });

  it('refuses a body token beside a query token with 400 invalid_request', async () => {
    const res = await request(queryServer)
      .post(`/probe?access_token=${token}`)
      .type('form')
      .send({ access_token: token });
    expectSeveralPlaces(res);
  });

  // RFC 6750 §3.1: "more than one method for including an access token"; a Basic header is none.
  it('accepts a body or query token beside an Authorization header of another scheme (Basic)', async () => {
    const basic = `Basic ${Buffer.from('user:pass').toString('base64')}`;
    const body = await request(server)
      .post('/probe')
      .set('Authorization', basic)
      .type('form')
      .send({ access_token: token });
    const query = await request(queryServer).get(`/probe?access_token=${token}`).set('Authorization', basic);
    expect([body.status, query.status]).toEqual([200, 200]);
  });

  it("refuses a body token beside a Bearer credential joined to another scheme's line, or an empty header", async () => {
    for (const authorization of [`Basic dXNlcjpwYXNz, Bearer ${token}`, '']) {
      const res = await request(server)
        .post('/probe')
        .set('Authorization', authorization)
        .type('form')
        .send({ access_token: token });
      expectSeveralPlaces(res);
    }
  });

  it('refuses two form body tokens with 400 invalid_request', async () => {
    const res = await request(server)
      .post('/probe')
      .type('form')
      .send(`access_token=${token}&access_token=${token}`);
    expectSeveralPlaces(res);
  });

  it('ignores a body token outside a form-encoded body: a JSON body', async () => {
    expectBare401(await request(server).post('/probe').send({ access_token: token }));
  });

  it('ignores a body token outside a form-encoded body: a GET request', async () => {
    expectBare401(await request(server).get('/probe').type('form').send({ access_token: token }));
  });

  // RFC 6750 §2.2: "the HTTP request method is one for which the request-body has defined semantics".
  it.each(['DELETE', 'OPTIONS', 'HEAD'])(
    'ignores a body token on %s, a method whose body has no defined semantics',
    async (method) => {
      expectBare401(await sendForm(server, method, `access_token=${token}`));
      const withHeader = await sendForm(server, method, `access_token=${token}`, {
        Authorization: `Bearer ${token}`,
      });
      expect(withHeader.status).toBe(200);
    },
  );

  it('still accepts the header when a JSON body has no access_token', async () => {
    const res = await request(server)
      .post('/probe')
      .set('Authorization', `Bearer ${token}`)
      .send({ note: 'x' });
    expect(res.status).toBe(200);
  });
});
