import type { Server } from 'node:http';
import express5, { type ErrorRequestHandler } from 'express';
import { auth } from 'express-oauth2-jwt-bearer';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthError,
  authErrorHandler,
  claimCheck,
  claimEquals,
  claimIncludes,
  requireAnyScope,
  requireAuth,
  requirePermissions,
  requireScopes,
} from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen, ok } from './support/app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

describe.each(EXPRESS_VERSIONS)('scope, permission and claim guards on %s', (_name, express) => {
  let issuer: TestIssuer;
  let server: Server;
  let token: string;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const app = express();
    app.use(requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {} }));
    app.get('/all', requireScopes('read:things', 'write:things'), ok);
    app.get('/any', requireAnyScope('admin:things', 'write:things'), ok);
    app.get('/permissions', requirePermissions('read:things'), ok);
    app.get('/admin-permission', requirePermissions('admin:things'), ok);
    app.get('/org', claimEquals('org_id', 'org-1'), ok);
    app.get('/other-org', claimEquals('org_id', 'org-2'), ok);
    app.get('/roles', claimIncludes('roles', 'editor', 'viewer'), ok);
    app.get(
      '/verified',
      claimCheck((payload) => payload.email_verified === true, 'Email not verified'),
      ok,
    );
    server = await listen(app);
    token = await issuer.sign({
      scope: 'read:things write:things',
      permissions: ['read:things', 'write:things'],
      org_id: 'org-1',
      roles: ['viewer', 'editor'],
      email_verified: false,
    });
  });
  afterAll(async () => {
    await close(server);
    await issuer.close();
  });

  const get = (path: string) => request(server).get(path).set('Authorization', `Bearer ${token}`);

  it.each(['/all', '/any', '/permissions', '/org', '/roles'])(
    'lets %s through when the token grants it',
    async (path) => {
      expect((await get(path)).status).toBe(200);
    },
  );

  it.each([
    ['/any', 'Requires one of the listed scopes', 'admin:things write:things'],
    ['/admin-permission', 'Insufficient permissions', 'admin:things'],
  ])('answers %s with 403 insufficient_scope and the scopes needed', async (path, description, scope) => {
    const res = await request(server)
      .get(path)
      .set('Authorization', `Bearer ${await issuer.sign({ scope: 'read:things', permissions: [] })}`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'insufficient_scope', error_description: description });
    expect(res.headers['www-authenticate']).toBe(
      `Bearer realm="api", error="insufficient_scope", error_description="${description}", scope="${scope}"`,
    );
  });

  it.each([
    ['/other-org', "Unexpected 'org_id' value"],
    ['/verified', 'Email not verified'],
  ])('answers a failed claim check on %s with 403, never 401', async (path, description) => {
    const res = await get(path);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'insufficient_scope', error_description: description });
  });

  // RFC 9068 §2.2.3 makes `scope` a string; an array (as some issuers send) is read as its strings.
  it('reads a scope claim that is a JSON array of strings', async () => {
    const call = async (path: string, scope: unknown) =>
      request(server)
        .get(path)
        .set('Authorization', `Bearer ${await issuer.sign({ scope: scope as string })}`);
    expect((await call('/all', ['read:things', 'write:things'])).status).toBe(200);
    expect((await call('/any', ['write:things'])).status).toBe(200);
    const refused = await call('/all', ['read:things', 42, 'write:things admin:things']);
    expect(refused.status).toBe(403);
    expect(refused.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="Insufficient scope", scope="read:things write:things"',
    );
  });

  // Okta puts the granted scopes in `scp` as an array, Microsoft Entra ID as a space-separated string.
  it.each([
    ['Okta', ['read:things', 'write:things']],
    ['Entra ID', 'read:things write:things'],
  ])("reads %s's scp claim when the token has no scope claim", async (_issuer, scp) => {
    const call = async (path: string, claims: Record<string, unknown>) =>
      request(server)
        .get(path)
        .set(
          'Authorization',
          `Bearer ${await issuer.sign(claims, { omit: 'scope' in claims ? [] : ['scope'] })}`,
        );
    expect((await call('/all', { scp })).status).toBe(200);
    expect((await call('/any', { scp })).status).toBe(200);
    expect((await call('/all', { scp: ['read:things'] })).status).toBe(403);
    // RFC 9068's `scope` wins whenever it is there, even empty.
    expect((await call('/all', { scope: 'read:things', scp })).status).toBe(403);
    expect((await call('/all', { scope: '', scp })).status).toBe(403);
  });

  it('fails at start-up on a guard without scopes or with a malformed one', () => {
    expect(() => requireScopes()).toThrow(TypeError);
    expect(() => requireAnyScope('has"quote')).toThrow(TypeError);
    expect(() => claimEquals('', 'x')).toThrow(TypeError);
    expect(() => claimIncludes('roles', {} as never)).toThrow(TypeError);
    expect(() => claimCheck('nope' as never)).toThrow(TypeError);
  });
});

describe.each(EXPRESS_VERSIONS)("errors: 'next' on %s", (_name, express) => {
  let issuer: TestIssuer;
  let server: Server;
  const seen: string[] = [];

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const app = express();
    app.get(
      '/probe',
      requireAuth({
        issuerBaseURL: issuer.issuer,
        audience: AUDIENCE,
        errors: 'next',
        realm: 'things',
        env: {},
      }),
      requireScopes('admin:things'),
      (_req, res) => {
        res.json({ ok: true });
      },
    );
    const record: ErrorRequestHandler = (err, _req, _res, next) => {
      if (err instanceof AuthError) seen.push(err.code);
      next(err);
    };
    app.use(record, authErrorHandler());
    server = await listen(app);
  });
  afterAll(async () => {
    await close(server);
    await issuer.close();
  });

  it('hands failures to the app error handlers, and authErrorHandler writes the answer', async () => {
    const missing = await request(server).get('/probe');
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="things"');
    expect(missing.body).toEqual({ error: 'unauthorized', error_description: 'Authentication required' });

    const scoped = await request(server)
      .get('/probe')
      .set('Authorization', `Bearer ${await issuer.sign()}`);
    expect(scoped.status).toBe(403);
    expect(scoped.headers['www-authenticate']).toBe(
      'Bearer realm="things", error="insufficient_scope", error_description="Insufficient scope", scope="admin:things"',
    );
    expect(seen).toEqual(['unauthorized', 'insufficient_scope']);
  });
});

describe('guards behind express-oauth2-jwt-bearer’s own auth()', () => {
  it('read the scope and permissions claims when req.auth has no parsed lists', async () => {
    const issuer = await startTestIssuer();
    const app = express5();
    app.use(auth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE }));
    app.get('/read', requireScopes('read:things'), requirePermissions('read:things'), (_req, res) => {
      res.json({ ok: true });
    });
    app.get('/write', requireScopes('write:things'), (_req, res) => {
      res.json({ ok: true });
    });
    const server = await listen(app);
    try {
      const token = await issuer.sign({ permissions: ['read:things'] });
      const get = (path: string) => request(server).get(path).set('Authorization', `Bearer ${token}`);
      expect((await get('/read')).status).toBe(200);
      const refused = await get('/write');
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ error: 'insufficient_scope', error_description: 'Insufficient scope' });
      const okta = await issuer.sign({ scp: ['write:things'] }, { omit: ['scope'] });
      expect((await request(server).get('/write').set('Authorization', `Bearer ${okta}`)).status).toBe(200);
    } finally {
      await close(server);
      await issuer.close();
    }
  });
});
