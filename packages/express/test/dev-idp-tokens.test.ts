import type { Server } from 'node:http';
import { DEFAULT_AUDIENCE, DEMO_USERS, issueTokens, startDevIdp, type DevIdp } from '@grantflow/dev-idp';
import type { RequestHandler } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth, requirePermissions, requireScopes } from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen } from './support/app.js';

const [alice, bob] = DEMO_USERS;

describe('tokens from a real dev IdP login', () => {
  let idp: DevIdp;
  let aliceToken: string;
  let bobToken: string;

  beforeAll(async () => {
    idp = await startDevIdp({ port: 0, quiet: true });
    aliceToken = (await issueTokens(idp.issuer, alice!)).access_token;
    bobToken = (await issueTokens(idp.issuer, bob!)).access_token;
  });
  afterAll(() => idp.close());

  describe.each(EXPRESS_VERSIONS)('on %s', (_name, express) => {
    let server: Server;
    beforeAll(async () => {
      const app = express();
      app.use(requireAuth({ issuerBaseURL: idp.issuer, audience: DEFAULT_AUDIENCE, strict: true, env: {} }));
      const who: RequestHandler = (req, res) => {
        res.json({
          sub: req.auth!.payload.sub,
          scopes: req.auth!.scopes,
          permissions: req.auth!.permissions,
        });
      };
      app.get('/me', who);
      app.get('/write', requireScopes('write:appointments'), who);
      app.get('/admin', requirePermissions('admin:appointments'), who);
      server = await listen(app);
    });
    afterAll(() => close(server));

    const get = (path: string, token: string) =>
      request(server).get(path).set('Authorization', `Bearer ${token}`);

    it('verifies an RFC 9068 access token and exposes granted scopes and permissions', async () => {
      const res = await get('/me', aliceToken);
      expect(res.status).toBe(200);
      expect(res.body.sub).toEqual(expect.any(String));
      expect(res.body.scopes).toEqual(expect.arrayContaining(['read:appointments', 'write:appointments']));
      expect(res.body.scopes).not.toContain('admin:appointments');
      expect(res.body.permissions).toEqual(
        expect.arrayContaining(['read:appointments', 'write:appointments']),
      );
    });

    it('grants alice write and refuses bob with 403 insufficient_scope', async () => {
      expect((await get('/write', aliceToken)).status).toBe(200);
      const refused = await get('/write', bobToken);
      expect(refused.status).toBe(403);
      expect(refused.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="insufficient_scope", error_description="Insufficient scope", scope="write:appointments"',
      );
    });

    it('refuses both on a permission neither has', async () => {
      for (const token of [aliceToken, bobToken]) {
        const res = await get('/admin', token);
        expect(res.status).toBe(403);
        expect(res.body).toEqual({
          error: 'insufficient_scope',
          error_description: 'Insufficient permissions',
        });
      }
    });

    it('refuses a tampered dev IdP token with 401 invalid_token', async () => {
      const [header, payload, signature] = aliceToken.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...claims, scope: 'admin:appointments' })).toString(
        'base64url',
      );
      const res = await get('/me', `${header}.${forged}.${signature}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_token', error_description: 'Invalid signature' });
    });
  });
});
