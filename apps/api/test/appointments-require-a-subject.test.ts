import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { startIssuer } from './support/issuer.js';

const AUDIENCE = 'https://api.test/appointments';

describe('appointments refuse a token without a subject', () => {
  let issuer: Awaited<ReturnType<typeof startIssuer>>;
  let api: Server;

  beforeAll(async () => {
    issuer = await startIssuer(AUDIENCE);
    const app = createApp({ issuerBaseURL: issuer.url, audience: AUDIENCE, corsOrigins: [] });
    api = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
  });
  afterAll(async () => {
    for (const s of [api, issuer.server]) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it.each([
    ['no sub', {}],
    ['an empty sub', { sub: '' }],
  ])('answers a token with %s 401 invalid_token on every appointments route', async (_case, claims) => {
    const token = issuer.sign(claims);
    for (const send of [
      () => request(api).get('/api/appointments'),
      () => request(api).post('/api/appointments').send({}),
    ]) {
      const res = await send().set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_token', error_description: 'Token has no subject' });
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="invalid_token", error_description="Token has no subject"',
      );
    }
  });

  it('keeps serving a token with a subject its own appointments', async () => {
    const res = await request(api)
      .get('/api/appointments')
      .set('Authorization', `Bearer ${issuer.sign({ sub: 'user-1' })}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ appointments: [] });
  });
});
