import type { Server } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import type { RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimCheck,
  claimEquals,
  claimIncludes,
  createMemoryReplayStore,
  InsufficientScopeError,
  protectedResourceMetadata,
  ReplayStoreUnavailableError,
  requireAuth,
  UseDpopNonceError,
  type ProtectedResourceMetadataOptions,
} from '../src/index.js';
import { createRedisReplayStore } from '../src/redis.js';
import { close, EXPRESS_VERSIONS, listen } from './support/app.js';

const RESOURCE = 'https://api.test/things';

const METADATA_OPTIONS = [
  'authorizationServers',
  'scopesSupported',
  'bearerMethodsSupported',
  'jwksUri',
  'resourceSigningAlgValuesSupported',
  'resourceName',
  'resourceDocumentation',
  'resourcePolicyUri',
  'resourceTosUri',
  'tlsClientCertificateBoundAccessTokens',
  'authorizationDetailsTypesSupported',
  'dpopSigningAlgValuesSupported',
  'dpopBoundAccessTokensRequired',
  'signedMetadata',
  'additionalMetadata',
] as const satisfies readonly (keyof ProtectedResourceMetadataOptions)[];

const anyValue = fc.oneof(
  fc.anything({ maxDepth: 2, withBoxedValues: true, withSparseArray: true, withBigInt: true, withMap: true }),
  fc.constantFrom<unknown>('true', 0, null, [], [undefined], ['header', 'cookie'], Symbol('x')),
);

describe.each(EXPRESS_VERSIONS)('protectedResourceMetadata option types on %s', (_name, express) => {
  let server: Server;
  let current: RequestHandler = (_req, _res, next) => next();

  beforeAll(async () => {
    const app = express();
    app.use((req, res, next) => current(req, res, next));
    app.get(
      '/things',
      requireAuth({
        issuer: 'https://idp.test/',
        jwksUri: 'http://127.0.0.1:9/jwks',
        audience: RESOURCE,
        env: {},
      }),
    );
    server = await listen(app);
  });
  afterAll(() => close(server));

  it('throws a TypeError naming the option, or serves the document, whatever an option holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...METADATA_OPTIONS), anyValue, async (name, value) => {
        let handler: RequestHandler;
        try {
          handler = protectedResourceMetadata({ resource: RESOURCE, [name]: value });
        } catch (err) {
          expect(err).toBeInstanceOf(TypeError);
          expect((err as Error).message).toContain(`protectedResourceMetadata(): '${name}'`);
          return;
        }
        current = handler;
        const res = await request(server).get('/.well-known/oauth-protected-resource/things');
        expect(res.status).toBe(200);
        expect(res.body.resource).toBe(RESOURCE);
        const refused = await request(server).get('/things');
        expect(refused.status).toBe(401);
      }),
      { numRuns: 300 },
    );
  });

  it('serves signedMetadata (RFC 9728 §2.2), and what it checked: each option is read once', async () => {
    let reads = 0;
    const options = {
      resource: RESOURCE,
      signedMetadata: 'eyJ.x.y',
      get bearerMethodsSupported() {
        return reads++ === 0 ? ['header'] : ['carrier-pigeon'];
      },
    } as ProtectedResourceMetadataOptions;
    current = protectedResourceMetadata(options);
    const res = await request(server).get('/.well-known/oauth-protected-resource/things');
    expect(res.body).toMatchObject({ signed_metadata: 'eyJ.x.y', bearer_methods_supported: ['header'] });
  });

  it('refuses an unknown option, a bearer method RFC 9728 does not name, and options that are not an object', () => {
    const options = { resource: RESOURCE, scopes: ['a'] } as ProtectedResourceMetadataOptions;
    expect(() => protectedResourceMetadata(options)).toThrow("unknown option(s) 'scopes'.");
    expect(() =>
      protectedResourceMetadata({ resource: RESOURCE, bearerMethodsSupported: ['cookie' as 'header'] }),
    ).toThrow("'bearerMethodsSupported' must list some of header, body, query.");
    expect(() => protectedResourceMetadata(undefined as never)).toThrow(TypeError);
    expect(() => protectedResourceMetadata('https://api.test' as never)).toThrow(
      'its options must be an object.',
    );
  });
});

describe('replay store options', () => {
  it.each<[unknown, string]>([
    [null, 'its options must be an object.'],
    [{ max: '10' }, "'max' must be a positive integer."],
    [{ max: NaN }, "'max' must be a positive integer."],
    [{ now: 5 }, "'now' must be a function."],
    [{ ttl: 5 }, "unknown option(s) 'ttl'."],
  ])('createMemoryReplayStore(%j) throws a TypeError', (options, message) => {
    expect(() => createMemoryReplayStore(options as never)).toThrow(
      new TypeError(`@grantflow/express createMemoryReplayStore(): ${message}`),
    );
  });

  it('createRedisReplayStore refuses what is not { client, prefix }', () => {
    const client = { sendCommand: () => Promise.resolve('OK') };
    expect(() => createRedisReplayStore(undefined as never)).toThrow(TypeError);
    expect(() => createRedisReplayStore({ client: 42 as never })).toThrow(
      "'client' must be a redis or ioredis client.",
    );
    expect(() => createRedisReplayStore({ client, prefix: 7 as never })).toThrow(
      "'prefix' must be a string, got 7.",
    );
    expect(() => createRedisReplayStore({ client, ttl: 1 } as never)).toThrow("unknown option(s) 'ttl'.");
    expect(createRedisReplayStore({ client, prefix: 'p:' }).setIfAbsent('k', 1)).toBeInstanceOf(Promise);
  });
});

describe('guards and errors', () => {
  it('claim guards refuse numbers that are not JSON (NaN, Infinity) and a description that is not text', () => {
    for (const value of [NaN, Infinity, -Infinity]) {
      expect(() => claimEquals('n', value)).toThrow(TypeError);
      expect(() => claimIncludes('n', 1, value)).toThrow(TypeError);
    }
    expect(() => claimCheck(() => true, 42 as never)).toThrow('claimCheck() takes a string description.');
    expect(() => claimCheck(() => true, Symbol('x') as never)).toThrow(TypeError);
  });

  it('error classes refuse what their headers could not carry, when they are made', () => {
    expect(() => new InsufficientScopeError('m', 42 as never)).toThrow(TypeError);
    expect(() => new InsufficientScopeError('m', ['a', 1] as never)).toThrow(TypeError);
    expect(new InsufficientScopeError('m', ['a', 'b']).headers['WWW-Authenticate']).toContain('scope="a b"');
    expect(() => new UseDpopNonceError(42 as never)).toThrow(TypeError);
    expect(() => new UseDpopNonceError('a\nb')).toThrow(TypeError);
    expect(new UseDpopNonceError('n-1').headers['DPoP-Nonce']).toBe('n-1');
    for (const retryAfter of [NaN, -1, 1.5, '5']) {
      expect(() => new ReplayStoreUnavailableError(retryAfter as never)).toThrow(TypeError);
    }
    expect(new ReplayStoreUnavailableError(5).headers['Retry-After']).toBe('5');
  });
});
