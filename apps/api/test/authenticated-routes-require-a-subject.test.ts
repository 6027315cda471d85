import type { Server } from 'node:http';
import { DPOP_ALGORITHMS } from '@grantflow/express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIssuer } from './support/issuer.js';
import { closeAll, startApi } from './support/servers.js';

const AUDIENCE = 'https://api.test/appointments';
const METADATA = 'resource_metadata="https://api.test/.well-known/oauth-protected-resource/appointments"';

// RFC 9068 §2.2 makes `sub` required; /api/private answers who the caller is (issue 4), the
// appointments are the caller's own: no route takes a token that names nobody.
describe('every authenticated route refuses a token without a subject', () => {
  let issuer: Awaited<ReturnType<typeof startIssuer>>;
  let api: Server;

  beforeAll(async () => {
    issuer = await startIssuer(AUDIENCE);
    api = await startApi(issuer.url, AUDIENCE);
  });
  afterAll(() => closeAll([api, issuer.server]));

  it.each([
    ['no sub', {}],
    ['an empty sub', { sub: '' }],
  ])('answers a token with %s 401 invalid_token on every authenticated route', async (_case, claims) => {
    const token = issuer.sign(claims);
    for (const send of [
      () => request(api).get('/api/private'),
      () => request(api).get('/api/staff'),
      () => request(api).get('/api/appointments'),
      () => request(api).post('/api/appointments').send({}),
    ]) {
      const res = await send().set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_token', error_description: 'Token has no subject' });
      // The same challenge as every other 401 of the app: resource_metadata on each scheme, and DPoP.
      expect(res.headers['www-authenticate']).toBe(
        `Bearer realm="api", error="invalid_token", error_description="Token has no subject", ${METADATA}, ` +
          `DPoP algs="${DPOP_ALGORITHMS.join(' ')}", ${METADATA}`,
      );
    }
  });

  it('keeps telling a token with a subject who it is', async () => {
    const res = await request(api)
      .get('/api/private')
      .set('Authorization', `Bearer ${issuer.sign({ sub: 'user-1' })}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sub: 'user-1' });
  });

  it('keeps serving a token with a subject its own appointments', async () => {
    const res = await request(api)
      .get('/api/appointments')
      .set('Authorization', `Bearer ${issuer.sign({ sub: 'user-1' })}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ appointments: [] });
  });
});
