import type { Server } from 'node:http';
import { DPOP_ALGORITHMS } from '@grantflow/express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIssuer } from './support/issuer.js';
import { closeAll, startApi } from './support/servers.js';

const AUDIENCE = 'https://api.test/appointments';
const METADATA = 'resource_metadata="https://api.test/.well-known/oauth-protected-resource/appointments"';

describe('appointments refuse a token without a subject', () => {
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
  ])('answers a token with %s 401 invalid_token on every appointments route', async (_case, claims) => {
    const token = issuer.sign(claims);
    for (const send of [
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

  it('keeps serving a token with a subject its own appointments', async () => {
    const res = await request(api)
      .get('/api/appointments')
      .set('Authorization', `Bearer ${issuer.sign({ sub: 'user-1' })}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ appointments: [] });
  });
});
