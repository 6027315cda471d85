import type { Server } from 'node:http';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authErrorHandler,
  protectedResourceMetadata,
  requireAuth,
  requireScopes,
  resourceMetadataUrl,
} from '../src/index.js';
import { close, listen } from './support/app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

const METADATA_URL = 'https://api.test/.well-known/oauth-protected-resource/things';

describe('Protected Resource Metadata (RFC 9728)', () => {
  let idp: TestIssuer;
  let server: Server;

  beforeAll(async () => {
    idp = await startTestIssuer();
    const app = express();
    app.use(
      protectedResourceMetadata({
        resource: AUDIENCE,
        authorizationServers: [idp.issuer],
        scopesSupported: ['read:things'],
        resourceName: 'Things API',
      }),
    );
    app.get(
      '/things',
      requireAuth({ issuerBaseURL: idp.issuer, audience: AUDIENCE, env: {} }),
      requireScopes('read:things'),
      (_req, res) => {
        res.json([]);
      },
    );
    app.get(
      '/delegated',
      requireAuth({ issuerBaseURL: idp.issuer, audience: AUDIENCE, env: {}, errors: 'next' }),
      (_req, res) => {
        res.json([]);
      },
    );
    app.use(authErrorHandler());
    server = await listen(app);
  });
  afterAll(async () => {
    await close(server);
    await idp.close();
  });

  it.each(['/.well-known/oauth-protected-resource/things', '/.well-known/oauth-protected-resource'])(
    'serves the metadata at %s',
    async (path) => {
      const res = await request(server).get(path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        resource: AUDIENCE,
        authorization_servers: [idp.issuer],
        scopes_supported: ['read:things'],
        bearer_methods_supported: ['header'],
        resource_name: 'Things API',
      });
    },
  );

  it.each(['https://api.test', 'https://api.test/'])(
    'serves a resource without a path (%s) at the bare well-known URL',
    async (resource) => {
      const app = express();
      app.use(protectedResourceMetadata({ resource, authorizationServers: [idp.issuer] }));
      const other = await listen(app);
      const res = await request(other).get('/.well-known/oauth-protected-resource');
      await close(other);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ resource, authorization_servers: [idp.issuer] });
    },
  );

  it('derives the metadata URL as RFC 9728 §3.1 says', () => {
    expect(resourceMetadataUrl(AUDIENCE)).toBe(METADATA_URL);
    expect(resourceMetadataUrl('https://api.test/')).toBe(
      'https://api.test/.well-known/oauth-protected-resource',
    );
    expect(resourceMetadataUrl('https://api.test')).toBe(
      'https://api.test/.well-known/oauth-protected-resource',
    );
    expect(resourceMetadataUrl('https://api.test/v1/?tenant=a')).toBe(
      'https://api.test/.well-known/oauth-protected-resource/v1/?tenant=a',
    );
  });

  it.each([
    ['no token', undefined, 401],
    ['a bad token', 'Bearer abc.def.ghi', 401],
    ['an expired token', 'expired', 401],
    ['a token lacking the scope', 'unscoped', 403],
  ])('names the metadata in the challenge for %s', async (_case, credentials, status) => {
    let authorization = credentials;
    if (credentials === 'expired')
      authorization = `Bearer ${await idp.sign({ exp: Math.floor(Date.now() / 1000) - 60 })}`;
    if (credentials === 'unscoped') authorization = `Bearer ${await idp.sign({ scope: 'other' })}`;
    const req = request(server).get('/things');
    const res = await (authorization ? req.set('Authorization', authorization) : req);
    expect(res.status).toBe(status);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api"/);
    expect(res.headers['www-authenticate']).toContain(`resource_metadata="${METADATA_URL}"`);
  });

  it('names it in challenges written by authErrorHandler too', async () => {
    const res = await request(server).get('/delegated');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`Bearer realm="api", resource_metadata="${METADATA_URL}"`);
  });

  it('takes the metadata URL from requireAuth({ resourceMetadata }) without the middleware', async () => {
    const app = express();
    const resourceMetadata = 'https://api.test/.well-known/oauth-protected-resource';
    app.get('/x', requireAuth({ issuerBaseURL: idp.issuer, audience: AUDIENCE, env: {}, resourceMetadata }));
    const other = await listen(app);
    const res = await request(other).get('/x');
    await close(other);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer realm="api", resource_metadata="${resourceMetadata}"`,
    );
  });

  it('leaves challenges alone when no metadata is configured', async () => {
    const app = express();
    app.get('/x', requireAuth({ issuerBaseURL: idp.issuer, audience: AUDIENCE, env: {} }));
    const other = await listen(app);
    const res = await request(other).get('/x');
    await close(other);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it('refuses a resource that is not an absolute URL without a fragment, at start-up', () => {
    expect(() => protectedResourceMetadata({ resource: 'api' })).toThrow(TypeError);
    expect(() => protectedResourceMetadata({ resource: 'https://api.test/#x' })).toThrow(TypeError);
    expect(() => protectedResourceMetadata({ resource: AUDIENCE, authorizationServers: ['nope'] })).toThrow(
      TypeError,
    );
  });

  // RFC 9728 §1.2: the resource identifier is an https URL (http here for local development).
  it.each(['my-api', 'urn:grantflow:things', 'mailto:api@example.com', 'ftp://api.test/things'])(
    'names the problem for a resource %s that is not an http(s) URL',
    (resource) => {
      const message = `'resource' must be an http(s) URL without a fragment, got "${resource}"`;
      expect(() => protectedResourceMetadata({ resource })).toThrow(
        new TypeError(`@grantflow/express protectedResourceMetadata(): ${message}.`),
      );
      expect(() => resourceMetadataUrl(resource)).toThrow(
        new TypeError(`@grantflow/express resourceMetadataUrl(): ${message}.`),
      );
    },
  );
});
