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

  it('answers a request with its token in the query Cache-Control: private (RFC 6750 §2.3), verified or cached', async () => {
    const fresh = await issuer.sign({ sub: 'user-2' });
    for (const attempt of ['verified', 'from the verified-token cache']) {
      const res = await request(server).get(`/probe?access_token=${fresh}`);
      expect(res.status, attempt).toBe(200);
      expect(res.headers['cache-control'], attempt).toBe('private');
    }
    // Only the query token's answer: a header token's has no reason to be private.
    const header = await request(server).get('/probe').set('Authorization', `Bearer ${fresh}`);
    expect(header.status).toBe(200);
    expect(header.headers['cache-control']).toBeUndefined();
  });

  it("keeps the app's Cache-Control directives, making a shared one private", async () => {
    const withCacheControl = (value: string) =>
      probeApp(
        express,
        (_req, res, next) => {
          res.setHeader('Cache-Control', value);
          next();
        },
        requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, allowQueryToken: true, env: {} }),
      );
    for (const [set, sent] of [
      ['no-store', 'no-store'],
      ['private, max-age=60', 'private, max-age=60'],
      ['public, max-age=600', 'private, max-age=600'],
      ['no-cache', 'private, no-cache'],
      ['max-age=0, must-revalidate', 'private, max-age=0, must-revalidate'],
    ]) {
      const app = await listen(withCacheControl(set!));
      const res = await request(app).get(`/probe?access_token=${token}`);
      await close(app);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control'], set).toBe(sent);
    }
  });

  it('makes private a public Cache-Control the route sets after requireAuth, as the answer is written', async () => {
    const app = express();
    app.get(
      '/probe',
      requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, allowQueryToken: true, env: {} }),
      (_req, res) => {
        res.set('Cache-Control', 'public, max-age=60');
        res.json({});
      },
    );
    app.get(
      '/raw',
      requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, allowQueryToken: true, env: {} }),
      (_req, res) => {
        res.writeHead(200, { 'cache-control': 'public, max-age=60', 'content-type': 'text/plain' });
        res.end('ok');
      },
    );
    // Node's other form of writeHead's headers: one flat list of names and values.
    app.get(
      '/list',
      requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, allowQueryToken: true, env: {} }),
      (_req, res) => {
        res.writeHead(200, ['Content-Type', 'text/plain', 'Cache-Control', 'public, max-age=60']);
        res.end('ok');
      },
    );
    const later = await listen(app);
    const query = await request(later).get(`/probe?access_token=${token}`);
    const header = await request(later).get('/probe').set('Authorization', `Bearer ${token}`);
    const raw = await request(later).get(`/raw?access_token=${token}`);
    const list = await request(later).get(`/list?access_token=${token}`);
    await close(later);
    expect(query.status).toBe(200);
    expect(query.headers['cache-control']).toBe('private, max-age=60');
    expect(header.headers['cache-control']).toBe('public, max-age=60');
    expect(raw.status).toBe(200);
    expect(raw.headers['cache-control']).toBe('private, max-age=60');
    expect(raw.headers['content-type']).toBe('text/plain');
    expect([list.status, list.headers['cache-control'], list.headers['content-type']]).toEqual([
      200,
      'private, max-age=60',
      'text/plain',
    ]);
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

  it('reads the access_token query parameter under a percent-encoded name too', async () => {
    const alone = await request(server).get(`/probe?access%5Ftoken=${token}`);
    expect(alone.status).toBe(200);
    expect(alone.body.sub).toBe('user-1');
    const both = await request(server)
      .get(`/probe?access%5Ftoken=${token}`)
      .set('Authorization', `Bearer ${token}`);
    expectAnswer(both, 400, 'invalid_request', 'Credentials in more than one place');
  });

  it('refuses an empty query token with 400 and an invalid one with 401', async () => {
    expect((await request(server).get('/probe?access_token=')).status).toBe(400);
    const invalid = await request(server).get(`/probe?access_token=${await issuer.signWithForeignKey()}`);
    expect(invalid.status).toBe(401);
    expect(invalid.body.error).toBe('invalid_token');
  });
});
