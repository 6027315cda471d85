import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { discoverFromResource } from '@grantflow/core';
import { DEMO_USERS, issueTokens, startDevIdp, type DevIdp } from '@grantflow/dev-idp';
import { DPOP_ALGORITHMS } from '@grantflow/express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPOINTMENT_SCOPES, createApp } from '../src/app.js';
import { startIssuer } from './support/issuer.js';

const [alice] = DEMO_USERS;

// The API's audience is its own URL here, so a client can be pointed at it alone: the server is bound
// first (free port), then the app built for that URL.
describe('apps/api: RFC 9728 metadata and several issuers', () => {
  let api: Server;
  let resource: string;
  let idp: DevIdp;
  let second: Awaited<ReturnType<typeof startIssuer>>;
  let stranger: Awaited<ReturnType<typeof startIssuer>>;

  beforeAll(async () => {
    api = createServer();
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    resource = `http://127.0.0.1:${(api.address() as AddressInfo).port}/api`;
    idp = await startDevIdp({
      port: 0,
      quiet: true,
      apis: { [resource]: { scopes: [...APPOINTMENT_SCOPES] } },
    });
    [second, stranger] = await Promise.all([startIssuer(resource), startIssuer(resource)]);
    const app = createApp({
      issuerBaseURL: `${idp.issuer} ${second.url}`,
      audience: resource,
      corsOrigins: [],
    });
    api.on('request', app);
  });
  afterAll(async () => {
    for (const s of [api, second.server, stranger.server]) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
    await idp.close();
  });

  it('serves its metadata at the path-suffixed well-known URL and the plain one', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource/api',
      '/.well-known/oauth-protected-resource',
    ]) {
      const res = await request(api).get(path);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        resource,
        authorization_servers: [idp.issuer, second.url],
        scopes_supported: [...APPOINTMENT_SCOPES],
        bearer_methods_supported: ['header'],
      });
    }
  });

  it('leads discoverFromResource from the API to the dev IdP', async () => {
    const found = await discoverFromResource(resource);
    expect(found.resource.resource).toBe(resource);
    expect(found.authorizationServer.issuer).toBe(idp.issuer);
  });

  it('names the metadata in every 401 challenge', async () => {
    const metadata = `resource_metadata="${new URL(resource).origin}/.well-known/oauth-protected-resource/api"`;
    const none = await request(api).get('/api/private');
    expect(none.status).toBe(401);
    // Each challenge (Bearer, and DPoP: DPOP_MODE defaults to allowed) names it.
    expect(none.headers['www-authenticate']).toBe(
      `Bearer realm="api", ${metadata}, DPoP algs="${DPOP_ALGORITHMS.join(' ')}", ${metadata}`,
    );
    const bad = await request(api).get('/api/appointments').set('Authorization', 'Bearer abc.def.ghi');
    expect(bad.status).toBe(401);
    expect(bad.headers['www-authenticate']).toContain(metadata);
  });

  it('accepts tokens from the dev IdP and from the second issuer', async () => {
    const { access_token } = await issueTokens(idp.issuer, alice!, { audience: resource });
    const fromIdp = await request(api).get('/api/private').set('Authorization', `Bearer ${access_token}`);
    expect(fromIdp.status).toBe(200);
    const fromSecond = await request(api)
      .get('/api/appointments')
      .set('Authorization', `Bearer ${second.sign({ sub: 'second-user' })}`);
    expect(fromSecond.status).toBe(200);
  });

  it('refuses an issuer not configured with 401, without asking it anything', async () => {
    const res = await request(api)
      .get('/api/private')
      .set('Authorization', `Bearer ${stranger.sign({ sub: 'someone' })}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_token', error_description: 'Unexpected token issuer' });
    expect(stranger.requests()).toBe(0);
  });
});
