import type { Server } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth, requireScopes, UnauthorizedError } from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen } from './support/app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

/**
 * The handler express-oauth2-jwt-bearer's users write for its errors, which carry `statusCode` beside
 * `status`: with `errors: 'next'` ours reach it too, and must not become 500s there.
 */
const statusCodeHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  res
    .status(err.statusCode || 500)
    .set(err.headers ?? {})
    .json({ error: err.code, error_description: err.message });
};

/** The other handler they write: the library's request, token and scope errors are UnauthorizedErrors. */
const instanceofHandler: ErrorRequestHandler = (err, _req, res, next) => {
  if (!(err instanceof UnauthorizedError)) return next(err);
  res.status(err.status).set(err.headers).json({ error: err.code, error_description: err.message });
};

const HANDLERS = [
  ['reading err.statusCode', statusCodeHandler],
  ['testing instanceof UnauthorizedError', instanceofHandler],
] as const;

describe.each(
  EXPRESS_VERSIONS.flatMap(([name, express]) =>
    HANDLERS.map(([what, handler]) => [what, name, express, handler] as const),
  ),
)('errors: next, to a handler %s, on %s', (_what, _name, express, handler) => {
  let issuer: TestIssuer;
  let server: Server;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const app = express();
    app.use(requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, errors: 'next', env: {} }));
    app.get('/admin', requireScopes('admin:things'), (_req, res) => {
      res.json({ ok: true });
    });
    app.use(handler);
    server = await listen(app);
  });
  afterAll(async () => {
    await close(server);
    await issuer.close();
  });

  it('answers no credentials 401 with the bare challenge', async () => {
    const res = await request(server).get('/admin');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it('answers a malformed token 401 invalid_token', async () => {
    const res = await request(server).get('/admin').set('Authorization', 'Bearer abc');
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api", error="invalid_token"/);
  });

  it('answers a token sent twice 400 invalid_request', async () => {
    const token = await issuer.sign();
    const res = await request(server)
      .get(`/admin?access_token=${token}`)
      .set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('answers a valid token lacking the scope 403 insufficient_scope', async () => {
    const res = await request(server)
      .get('/admin')
      .set('Authorization', `Bearer ${await issuer.sign()}`);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('insufficient_scope');
    expect(res.headers['www-authenticate']).toContain('scope="admin:things"');
  });
});
