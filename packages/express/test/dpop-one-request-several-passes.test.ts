import type { Server } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { createClient } from 'redis';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  authErrorHandler,
  createMemoryReplayStore,
  requireAuth,
  type ReplayStore,
  type RequireAuthOptions,
} from '../src/index.js';
import { createRedisReplayStore } from '../src/redis.js';
import { close, EXPRESS_VERSIONS, listen, type ExpressFactory } from './support/app.js';
import { makeProof, startBindingIssuer, type DpopKey } from './support/dpop.js';
import { AUDIENCE, type TestIssuer } from './support/issuer.js';
import { startRedis, type RedisServer } from './support/redis.js';

// A fixed public name, so each proof's htu does not depend on the port.
const PUBLIC = 'https://api.example.test';
const PATH = '/a/probe';

const echo: RequestHandler = (req, res) => {
  res.json({ sub: req.auth!.payload.sub });
};

// RFC 9449 §11.1: a proof is a replay when another request carried it, not when one request passes
// requireAuth twice (an instance mounted twice, or an optional app-wide one and a route's).
describe.each(EXPRESS_VERSIONS)('one request through several requireAuth, %s', (_name, express) => {
  let issuer: TestIssuer;
  let key: DpopKey;
  let token: string;
  let redis: RedisServer;
  let redisClient: ReturnType<typeof createClient>;
  const servers: Server[] = [];
  const nodeClients: Array<ReturnType<typeof createClient>> = [];
  const logs: string[] = [];

  beforeAll(async () => {
    ({ issuer, key, token } = await startBindingIssuer());
    redis = await startRedis();
    redisClient = createClient({ socket: { path: redis.path, reconnectStrategy: () => 100 } });
    redisClient.on('error', () => {});
    await redisClient.connect();
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) await close(server);
    for (const client of nodeClients.splice(0)) client.destroy();
  });
  afterAll(async () => {
    redisClient.destroy();
    await redis.stop();
    await issuer.close();
  });

  function guard(options: RequireAuthOptions = {}, dpop: RequireAuthOptions['dpop'] = {}): RequestHandler {
    const base = { issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {} };
    const log = (line: string) => logs.push(line);
    return requireAuth({ ...base, ...options, dpop: { publicBaseURL: PUBLIC, log, ...dpop } });
  }

  async function serve(build: (app: ReturnType<ExpressFactory>) => void): Promise<Server> {
    const app = express();
    build(app);
    const server = await listen(app);
    servers.push(server);
    return server;
  }

  const fresh = (htu = `${PUBLIC}${PATH}`) => makeProof(key, { htu, accessToken: token });
  const send = (server: Server, proof: string, headers: Record<string, string> = {}) =>
    request(server)
      .get(PATH)
      .set({ Authorization: `DPoP ${token}`, DPoP: proof, ...headers });

  function expectReplayed(res: request.Response) {
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_dpop_proof', error_description: 'DPoP proof replayed' });
  }

  it('accepts a proof when one instance runs twice, and refuses it in a second request', async () => {
    const auth = guard();
    const server = await serve((app) => {
      app.use('/a', auth);
      app.get(PATH, auth, echo);
    });
    const proof = await fresh();
    const first = await send(server, proof);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ sub: 'user-1' });
    expectReplayed(await send(server, proof));
  });

  const STORES: Array<[string, () => [ReplayStore, ReplayStore]]> = [
    [
      'one memory store',
      () => {
        const store = createMemoryReplayStore();
        return [store, store];
      },
    ],
    [
      'one Redis store',
      () => {
        const store = createRedisReplayStore({ client: redisClient });
        return [store, store];
      },
    ],
    // The README's example, written at each requireAuth: two stores over one client and prefix.
    [
      'two Redis stores over one client',
      () => [
        createRedisReplayStore({ client: redisClient }),
        createRedisReplayStore({ client: redisClient }),
      ],
    ],
  ];

  it.each(STORES)(
    'accepts a proof through an optional app-wide instance and a route one sharing %s; a replay is refused',
    async (_store, stores) => {
      const [appWide, route] = stores();
      const server = await serve((app) => {
        app.use(guard({ authRequired: false }, { replayStore: appWide }));
        app.get(PATH, guard({}, { replayStore: route }), echo);
      });
      const proof = await fresh();
      const first = await send(server, proof);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ sub: 'user-1' });
      expectReplayed(await send(server, proof));
      expect((await send(server, await fresh())).status).toBe(200);
    },
  );

  it.each([
    ['the same instance, as replayed', (auth: RequestHandler) => auth],
    [
      'another instance, for its htu',
      () => guard({ errors: 'next' }, { publicBaseURL: 'https://other.example.test' }),
    ],
  ])('checks against the store, at the next pass, a proof refused by %s', async (_refused, first) => {
    const store = createMemoryReplayStore();
    const auth = guard({ errors: 'next' }, { replayStore: store });
    const refusals: string[] = [];
    // The app lets the request go on after the first refusal; the later passes must still refuse a replay.
    const goOn: ErrorRequestHandler = (err: Error, _req, _res, next) => {
      refusals.push(err.message);
      next();
    };
    const server = await serve((app) => {
      app.use(first(auth), goOn);
      app.get(PATH, auth, auth, echo);
      app.use(authErrorHandler());
    });
    const proof = await fresh();
    expect((await send(server, proof)).status).toBe(200);
    expectReplayed(await send(server, proof));
    expect(refusals.at(-1)).toMatch(/^DPoP proof (replayed|htu mismatch)$/);
  });

  it('runs every other check at the later pass, with its own options (a nonce here)', async () => {
    const store = createMemoryReplayStore();
    const server = await serve((app) => {
      app.use(guard({ authRequired: false }, { replayStore: store }));
      app.get(PATH, guard({}, { replayStore: store, nonceSecret: 'n'.repeat(32), nonceStep: 86_400 }), echo);
    });
    const challenge = await send(server, await fresh());
    expect(challenge.status).toBe(401);
    expect(challenge.body.error).toBe('use_dpop_nonce');
    const nonce = challenge.headers['dpop-nonce'] as string;
    const proof = await makeProof(key, { htu: `${PUBLIC}${PATH}`, accessToken: token, nonce });
    expect((await send(server, proof)).status).toBe(200);
    expectReplayed(await send(server, proof));
  });

  it('checks against the store a different proof on the same request', async () => {
    const auth = guard();
    // No client can send two proofs in one request; this stands for middleware that rewrites the header.
    const swap: RequestHandler = (req, _res, next) => {
      const other = req.headers['x-other-proof'];
      if (typeof other === 'string') req.headers.dpop = other;
      next();
    };
    const server = await serve((app) => {
      app.use(auth, swap);
      app.get(PATH, auth, echo);
    });
    const used = await fresh();
    expect((await send(server, used)).status).toBe(200);
    expectReplayed(await send(server, await fresh(), { 'X-Other-Proof': used }));
    expect((await send(server, await fresh(), { 'X-Other-Proof': await fresh() })).status).toBe(200);
  });
  // The skip holds only where that same store already accepted the proof for as long: any other
  // store (the one shared by the nodes, one that is down) is still asked.
  type Dpop = NonNullable<RequireAuthOptions['dpop']>;

  /** A node: an optional app-wide requireAuth (its own options) and the route's. */
  const node = (appWide: Dpop, route: Dpop) =>
    serve((app) => {
      app.use(guard({ authRequired: false }, appWide));
      app.get(PATH, guard({}, route), echo);
    });

  /** A Redis store over a client of its own, as each node of a cluster has. */
  async function nodeStore(): Promise<ReplayStore> {
    const client = createClient({ socket: { path: redis.path, reconnectStrategy: () => 100 } });
    client.on('error', () => {});
    nodeClients.push(client);
    await client.connect();
    return createRedisReplayStore({ client });
  }

  it('refuses on a second node a proof one node accepted, though its app-wide memory store is new to it', async () => {
    const one = await node({}, { replayStore: await nodeStore() });
    const two = await node({}, { replayStore: await nodeStore() });
    const proof = await fresh();
    const first = await send(one, proof);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ sub: 'user-1' });
    expectReplayed(await send(two, proof));
  });

  it("answers 503 when the route's store is down, though the app-wide store accepted the proof", async () => {
    const down: ReplayStore = {
      setIfAbsent: () => Promise.reject(new Error('connect ECONNREFUSED /run/redis.sock')),
    };
    const server = await node({}, { replayStore: down, retryAfter: 7 });
    const res = await send(server, await fresh());
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('temporarily_unavailable');
    expect(res.headers['retry-after']).toBe('7');
    expect(logs.at(-1)).toMatch(/^@grantflow\/express: DPoP replay store unreachable \(connect ECONNREFUSED/);
  });

  /** One memory store shared by both requireAuth, which records the ttl of each call. */
  function recordingStore(): { store: ReplayStore; ttls: number[] } {
    const memory = createMemoryReplayStore();
    const ttls: number[] = [];
    const store: ReplayStore = {
      setIfAbsent(name, ttlMs) {
        ttls.push(ttlMs);
        return memory.setIfAbsent(name, ttlMs);
      },
    };
    return { store, ttls };
  }

  it('skips the shared store at a later pass whose window is no longer than the one it was given', async () => {
    const { store, ttls } = recordingStore();
    const server = await node({ replayStore: store, iatLeeway: 600 }, { replayStore: store });
    const proof = await fresh();
    expect((await send(server, proof)).status).toBe(200);
    expect(ttls).toHaveLength(1);
    // 300 s of iatOffset and 600 of leeway, less the time the request took.
    expect(ttls[0]).toBeGreaterThan(800_000);
    expectReplayed(await send(server, proof));
  });

  it('asks the shared store again at a later pass whose window is longer, which keeps a replay out', async () => {
    const { store, ttls } = recordingStore();
    // The store was told to keep the proof 30 s past its iat + 300 s; the route accepts replays for 600.
    const server = await node({ replayStore: store }, { replayStore: store, iatLeeway: 600 });
    expectReplayed(await send(server, await fresh()));
    expect(ttls).toHaveLength(2);
    expect(ttls[1]).toBeGreaterThan(ttls[0]! + 500_000);
  });
});

describe('createRedisReplayStore over one client', () => {
  it('answers one store per prefix, so a request passing two requireAuth skips it once accepted', () => {
    const client = { sendCommand: () => Promise.resolve('OK') };
    const store = createRedisReplayStore({ client });
    expect(createRedisReplayStore({ client })).toBe(store);
    expect(createRedisReplayStore({ client, prefix: 'grantflow:dpop:' })).toBe(store);
    expect(createRedisReplayStore({ client, prefix: 'other:' })).not.toBe(store);
    expect(createRedisReplayStore({ client: { ...client } })).not.toBe(store);
  });
});
