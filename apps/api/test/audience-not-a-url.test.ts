import type { Server } from 'node:http';
import { DPOP_ALGORITHMS } from '@grantflow/express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIssuer } from './support/issuer.js';
import { closeAll, startApi } from './support/servers.js';

// Auth0 API identifiers may be any string. RFC 9728 metadata needs the resource to be an http(s)
// URL (§1.2), so with another audience the API serves none and names none, and works as before.
describe.each(['my-api', 'urn:grantflow:appointments'])('apps/api with AUDIENCE=%s', (audience) => {
  let issuer: Awaited<ReturnType<typeof startIssuer>>;
  let api: Server;

  beforeAll(async () => {
    issuer = await startIssuer(audience);
    api = await startApi(issuer.url, audience);
  });
  afterAll(() => closeAll([api, issuer.server]));

  it('accepts its tokens', async () => {
    const res = await request(api)
      .get('/api/appointments')
      .set('Authorization', `Bearer ${issuer.sign({ sub: 'user-1' })}`);
    expect(res.status).toBe(200);
  });

  it('serves no metadata document and names none in its challenges', async () => {
    expect((await request(api).get('/.well-known/oauth-protected-resource')).status).toBe(404);
    const res = await request(api).get('/api/private');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer realm="api", DPoP algs="${DPOP_ALGORITHMS.join(' ')}"`,
    );
  });
});
