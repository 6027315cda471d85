import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAnyScope, requireAuth, requirePermissions, requireScopes } from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen, ok } from './support/app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

// express-oauth2-jwt-bearer's `requiredScopes` takes one array or one space-separated string; code
// written for it (or a scope list kept in configuration) carries over to ours.
describe.each(EXPRESS_VERSIONS)(
  'scope guards given an array or a space-separated string, on %s',
  (_name, express) => {
    let issuer: TestIssuer;
    let server: Server;

    beforeAll(async () => {
      issuer = await startTestIssuer();
      const app = express();
      app.use(requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {} }));
      app.get('/all-array', requireScopes(['read:things', 'write:things']), ok);
      app.get('/all-string', requireScopes('read:things write:things'), ok);
      app.get('/all-mixed', requireScopes('read:things', 'write:things admin:things'), ok);
      app.get('/any-array', requireAnyScope(['admin:things', 'write:things']), ok);
      app.get('/any-string', requireAnyScope('admin:things write:things'), ok);
      app.get('/permissions-array', requirePermissions(['read:things', 'write:things']), ok);
      app.get('/permissions-string', requirePermissions('read:things write:things'), ok);
      server = await listen(app);
    });
    afterAll(async () => {
      await close(server);
      await issuer.close();
    });

    const call = async (path: string, scope: string) =>
      request(server)
        .get(path)
        .set('Authorization', `Bearer ${await issuer.sign({ scope, permissions: scope.split(' ') })}`);

    it.each([
      '/all-array',
      '/all-string',
      '/any-array',
      '/any-string',
      '/permissions-array',
      '/permissions-string',
    ])('lets %s through when the token grants every listed scope', async (path) => {
      expect((await call(path, 'read:things write:things')).status).toBe(200);
    });

    it.each([
      ['/all-array', 'Insufficient scope', 'read:things write:things'],
      ['/all-string', 'Insufficient scope', 'read:things write:things'],
      ['/all-mixed', 'Insufficient scope', 'read:things write:things admin:things'],
      ['/any-array', 'Requires one of the listed scopes', 'admin:things write:things'],
      ['/any-string', 'Requires one of the listed scopes', 'admin:things write:things'],
      ['/permissions-array', 'Insufficient permissions', 'read:things write:things'],
      ['/permissions-string', 'Insufficient permissions', 'read:things write:things'],
    ])('refuses %s with 403 naming each scope on its own', async (path, description, scope) => {
      const res = await call(path, 'read:things');
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'insufficient_scope', error_description: description });
      expect(res.headers['www-authenticate']).toBe(
        `Bearer realm="api", error="insufficient_scope", error_description="${description}", scope="${scope}"`,
      );
    });
  },
);

describe('scope guard arguments, checked at start-up', () => {
  it.each([
    ['no scopes', []],
    ['an empty array', [[]]],
    ['an empty string', ['']],
    ['only spaces', ['  ']],
    ['an array beside other arguments', [['read:things'], 'write:things']],
    ['two arrays', [['read:things'], ['write:things']]],
    ['a non-string in the array', [['read:things', 42]]],
    ['a quote', ['read:"things']],
    ['a tab between scopes', ['read:things\twrite:things']],
  ])('refuses %s with a TypeError', (_case, args) => {
    for (const guard of [requireScopes, requireAnyScope, requirePermissions]) {
      expect(() => guard(...(args as [string]))).toThrow(
        new TypeError(
          `${guard.name}() needs one or more scopes: strings of scope tokens separated by spaces (no quotes or backslashes), or one array of them.`,
        ),
      );
    }
  });
});
