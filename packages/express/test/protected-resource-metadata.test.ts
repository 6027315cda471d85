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
  type ProtectedResourceMetadataOptions,
} from '../src/index.js';
import { close, listen } from './support/app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

const METADATA_URL = 'https://api.test/.well-known/oauth-protected-resource/things';

/** The document a fresh app serving `options` answers with. */
async function served(options: Omit<ProtectedResourceMetadataOptions, 'resource'>) {
  const app = express();
  app.use(protectedResourceMetadata({ resource: AUDIENCE, ...options }));
  const server = await listen(app);
  const res = await request(server).get('/.well-known/oauth-protected-resource/things');
  await close(server);
  expect(res.status).toBe(200);
  return res.body as Record<string, unknown>;
}

const refusal = (message: string) =>
  new TypeError(`@grantflow/express protectedResourceMetadata(): ${message}`);
const JSON_DATA =
  'must be JSON data (strings, finite numbers, booleans, null, arrays and plain objects of those)';

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

  it("serves several APIs' documents from one app, each API's challenges naming its own", async () => {
    const app = express();
    const apis = [AUDIENCE, 'https://api.test/other'];
    for (const resource of apis) app.use(protectedResourceMetadata({ resource }));
    for (const [index, resource] of apis.entries()) {
      const resourceMetadata = resourceMetadataUrl(resource);
      app.get(
        `/api${index}`,
        requireAuth({ issuerBaseURL: idp.issuer, audience: resource, env: {}, resourceMetadata }),
      );
    }
    const other = await listen(app);
    const challenges = [];
    for (const index of apis.keys())
      challenges.push((await request(other).get(`/api${index}`)).headers['www-authenticate']);
    const document = await request(other).get('/.well-known/oauth-protected-resource/other');
    await close(other);
    expect(challenges).toEqual(
      apis.map((api) => `Bearer realm="api", resource_metadata="${resourceMetadataUrl(api)}"`),
    );
    expect(document.body).toMatchObject({ resource: 'https://api.test/other' });
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

  describe('additionalMetadata', () => {
    it('serves its members under the names given, nested data included', async () => {
      const additionalMetadata = {
        'resource_name#en': 'Things API',
        'resource_name#it': 'API delle cose',
        vendorFlag: true,
        'x-vendor': { limits: [1, 2.5], region: null, tags: ['a'] },
      };
      expect(await served({ resourceName: 'Things', additionalMetadata })).toEqual({
        resource: AUDIENCE,
        bearer_methods_supported: ['header'],
        resource_name: 'Things',
        ...additionalMetadata,
      });
    });

    it('serves a member named __proto__ as data, not as the prototype', async () => {
      const additionalMetadata = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
      const body = await served({ additionalMetadata });
      expect(Object.getOwnPropertyDescriptor(body, '__proto__')?.value).toEqual({ x: 1 });
    });

    it.each([
      ['resource', 'resource'],
      ['bearer_methods_supported', 'bearerMethodsSupported'],
      ['scopes_supported', 'scopesSupported'],
      ['dpop_bound_access_tokens_required', 'dpopBoundAccessTokensRequired'],
      ['signed_metadata', 'signedMetadata'],
      ['resourceName', 'resourceName'],
    ])('refuses a member %s, which the %s option serves', (member, option) => {
      expect(() =>
        protectedResourceMetadata({ resource: AUDIENCE, additionalMetadata: { [member]: 'x' } }),
      ).toThrow(refusal(`'additionalMetadata' may not carry "${member}": use the '${option}' option.`));
    });

    class Quota {}
    it.each([
      ['a function', () => 1, 'a function'],
      ['undefined', undefined, 'undefined'],
      ['NaN', NaN, 'NaN'],
      ['-Infinity', -Infinity, '-Infinity'],
      ['a Date', new Date(0), 'an instance of Date'],
      ['a class instance', new Quota(), 'an instance of Quota'],
      ['a Map', new Map(), 'an instance of Map'],
      ['a bigint', 1n, 'a bigint'],
      ['a symbol', Symbol('x'), 'a symbol'],
    ])('refuses %s as a value, naming the member', (_case, value, got) => {
      expect(() =>
        protectedResourceMetadata({ resource: AUDIENCE, additionalMetadata: { 'x-vendor': value } }),
      ).toThrow(refusal(`'additionalMetadata' member "x-vendor" ${JSON_DATA}, got ${got}.`));
    });

    it('names where inside a member a value that is not JSON data sits', () => {
      const nested = { 'x-vendor': { limits: [1, undefined] } };
      expect(() => protectedResourceMetadata({ resource: AUDIENCE, additionalMetadata: nested })).toThrow(
        refusal(`'additionalMetadata' member "x-vendor" ${JSON_DATA}, got undefined (at .limits[1]).`),
      );
      // eslint-disable-next-line no-sparse-arrays -- the hole is the case
      const sparse = { 'x-vendor': { 'odd key': [, 'a'] } };
      expect(() => protectedResourceMetadata({ resource: AUDIENCE, additionalMetadata: sparse })).toThrow(
        refusal(`'additionalMetadata' member "x-vendor" ${JSON_DATA}, got a hole (at ["odd key"][0]).`),
      );
    });

    it('refuses a cycle, but serves an object two members share', async () => {
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic.self = [cyclic];
      expect(() =>
        protectedResourceMetadata({ resource: AUDIENCE, additionalMetadata: { 'x-c': cyclic } }),
      ).toThrow(
        refusal(`'additionalMetadata' member "x-c" contains itself (at .self[0]); JSON cannot hold a cycle.`),
      );
      const shared = { region: 'eu' };
      const body = await served({ additionalMetadata: { 'x-a': shared, 'x-b': { shared } } });
      expect(body).toMatchObject({ 'x-a': shared, 'x-b': { shared } });
    });

    it.each([
      ['null', null],
      ['an array', ['x']],
      ['a string', 'x-vendor'],
      ['a Map', new Map([['x', 1]])],
    ])('refuses %s, which is not a plain object of members', (_case, value) => {
      expect(() =>
        protectedResourceMetadata({ resource: AUDIENCE, additionalMetadata: value as never }),
      ).toThrow(refusal(`'additionalMetadata' must be a plain object of metadata members.`));
    });

    it('reads each value once: a getter cannot change what is served', async () => {
      let reads = 0;
      const additionalMetadata = {
        get 'x-vendor'() {
          return reads++ === 0 ? { tier: 'gold' } : () => 'not JSON';
        },
      };
      let optionReads = 0;
      // Given to protectedResourceMetadata itself: a spread (as `served` makes) would read it for us.
      const options = {
        resource: AUDIENCE,
        get additionalMetadata() {
          return optionReads++ === 0 ? additionalMetadata : { resource: 'https://evil.test/' };
        },
      };
      const app = express();
      app.use(protectedResourceMetadata(options));
      const server = await listen(app);
      const res = await request(server).get('/.well-known/oauth-protected-resource/things');
      await close(server);
      expect(res.body).toMatchObject({ resource: AUDIENCE, 'x-vendor': { tier: 'gold' } });
      expect({ reads, optionReads }).toEqual({ reads: 1, optionReads: 1 });
    });
  });

  // RFC 9728 §3.2: "Parameters with zero values MUST be omitted from the response."
  it('omits the empty lists of the options', async () => {
    const body = await served({
      authorizationServers: [],
      scopesSupported: [],
      resourceSigningAlgValuesSupported: [],
      authorizationDetailsTypesSupported: [],
      dpopSigningAlgValuesSupported: [],
    });
    expect(body).toEqual({ resource: AUDIENCE, bearer_methods_supported: ['header'] });
  });

  it('omits an empty list given in additionalMetadata, keeping one nested in a member', async () => {
    const body = await served({ additionalMetadata: { 'x-empty': [], 'x-nested': { list: [] } } });
    expect(body).toEqual({
      resource: AUDIENCE,
      bearer_methods_supported: ['header'],
      'x-nested': { list: [] },
    });
  });

  // RFC 9728 §2 gives this one empty list a meaning of its own: "no bearer methods are supported".
  it('serves bearerMethodsSupported: [] as the empty list (no bearer methods, e.g. DPoP only)', async () => {
    expect((await served({ bearerMethodsSupported: [] })).bearer_methods_supported).toEqual([]);
  });

  // RFC 9728 §2 (resource signing) and RFC 9449 §4.3 (DPoP proofs): never `none`.
  it.each(['resourceSigningAlgValuesSupported', 'dpopSigningAlgValuesSupported'] as const)(
    'refuses none in %s',
    (name) => {
      expect(() => protectedResourceMetadata({ resource: AUDIENCE, [name]: ['ES256', 'none'] })).toThrow(
        refusal(`'${name}' must not list 'none'.`),
      );
    },
  );

  it('refuses a MAC algorithm for DPoP proofs (RFC 9449 §4.2), not for signed resource answers', () => {
    expect(() =>
      protectedResourceMetadata({ resource: AUDIENCE, dpopSigningAlgValuesSupported: ['ES256', 'HS256'] }),
    ).toThrow(refusal("'dpopSigningAlgValuesSupported' must not list a MAC algorithm (HS256)."));
    expect(() =>
      protectedResourceMetadata({ resource: AUDIENCE, resourceSigningAlgValuesSupported: ['HS256'] }),
    ).not.toThrow();
  });
});
