import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth } from '../src/index.js';
import { expectAnswer } from './support/answers.js';
import { close, EXPRESS_VERSIONS, listen, probeApp } from './support/app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

describe.each(EXPRESS_VERSIONS)('allowQueryToken: true on %s', (_name, express) => {
  let issuer: TestIssuer;
  let server: Server;
  let token: string;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    server = await listen(
      probeApp(
        express,
        requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, allowQueryToken: true, env: {} }),
      ),
    );
    token = await issuer.sign();
  });
  afterAll(async () => {
    await close(server);
    await issuer.close();
  });

  it('accepts a token in the access_token query parameter', async () => {
    const res = await request(server).get(`/probe?x=1&access_token=${token}`);
    expect(res.status).toBe(200);
    expect(res.body.sub).toBe('user-1');
  });

  it.each([
    [
      'the header and the query',
      (t: string) => request(server).get(`/probe?access_token=${t}`).set('Authorization', `Bearer ${t}`),
    ],
    ['the query twice', (t: string) => request(server).get(`/probe?access_token=${t}&access_token=${t}`)],
  ])('refuses credentials in %s with 400 invalid_request', async (_case, send) => {
    expectAnswer(await send(token), 400, 'invalid_request', 'Credentials in more than one place');
  });

  it('refuses an empty query token with 400 and an invalid one with 401', async () => {
    expect((await request(server).get('/probe?access_token=')).status).toBe(400);
    const invalid = await request(server).get(`/probe?access_token=${await issuer.signWithForeignKey()}`);
    expect(invalid.status).toBe(401);
    expect(invalid.body.error).toBe('invalid_token');
  });
});
