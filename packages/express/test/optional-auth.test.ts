import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth, requireScopes } from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen, probeApp } from './support/app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

describe.each(EXPRESS_VERSIONS)('authRequired: false on %s', (_name, express) => {
  let issuer: TestIssuer;
  let server: Server;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const app = probeApp(
      express,
      requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, authRequired: false, env: {} }),
    );
    app.get(
      '/scoped',
      requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, authRequired: false, env: {} }),
      requireScopes('read:things'),
      (_req, res) => {
        res.json({ ok: true });
      },
    );
    server = await listen(app);
  });
  afterAll(async () => {
    await close(server);
    await issuer.close();
  });

  it('lets a request without credentials through as anonymous', async () => {
    const res = await request(server).get('/probe');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ anonymous: true });
  });

  it('lets another scheme through as anonymous', async () => {
    const res = await request(server).get('/probe').set('Authorization', 'Basic dXNlcjpwYXNz');
    expect(res.body).toEqual({ anonymous: true });
  });

  it('still sets req.auth for a valid token', async () => {
    const res = await request(server)
      .get('/probe')
      .set('Authorization', `Bearer ${await issuer.sign()}`);
    expect(res.body).toEqual({ sub: 'user-1', scopes: ['read:things'] });
  });

  it('still refuses an invalid token instead of treating it as anonymous', async () => {
    const res = await request(server)
      .get('/probe')
      .set('Authorization', `Bearer ${await issuer.signWithForeignKey()}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_token', error_description: 'Invalid signature' });
  });

  it('still refuses a malformed request', async () => {
    const res = await request(server).get('/probe').set('Authorization', 'Bearer');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('answers an anonymous request to a scoped route with a bare 401, not 403', async () => {
    const res = await request(server).get('/scoped');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
  });
});
