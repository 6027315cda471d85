import type { Server } from 'node:http';
import {
  DEFAULT_AUDIENCE,
  DEMO_USERS,
  addRolesClaim,
  issueTokens,
  startDevIdp,
  type DevIdp,
} from '@grantflow/dev-idp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES_CLAIM, createApp } from '../src/app.js';

const [alice, bob] = DEMO_USERS;

describe('/api/staff: the roles custom claim, checked with claimIncludes', () => {
  let idp: DevIdp;
  let server: Server;

  beforeAll(async () => {
    idp = await startDevIdp({ port: 0, quiet: true, customizeTokens: addRolesClaim });
    const app = createApp({ issuerBaseURL: idp.issuer, audience: DEFAULT_AUDIENCE, corsOrigins: [] });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await idp.close();
  });

  const staff = async (user: typeof alice) =>
    request(server)
      .get('/api/staff')
      .set('Authorization', `Bearer ${(await issueTokens(idp.issuer, user!)).access_token}`);

  it('lets a user whose token lists the staff role in', async () => {
    const res = await staff(alice);
    expect(res.status).toBe(200);
    expect(res.body.sub).toBe('alice');
  });

  it('answers 403 insufficient_scope to a user without it', async () => {
    const res = await staff(bob);
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toMatch(/error="insufficient_scope"/);
    expect(ROLES_CLAIM).toBe('https://grantflow.local/roles');
  });

  it('refuses a request without a token with 401', async () => {
    expect((await request(server).get('/api/staff')).status).toBe(401);
  });
});
