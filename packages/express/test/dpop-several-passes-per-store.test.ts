import type { Server } from 'node:http';
import type { RequestHandler } from 'express';
import { createClient } from 'redis';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
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

// Every node behind one public name, as behind a load balancer.
const PUBLIC = 'https://api.example.test';
const PATH = '/probe';

const echo: RequestHandler = (req, res) => {
  res.json({ sub: req.auth!.payload.sub });
};

type Dpop = NonNullable<RequireAuthOptions['dpop']>;

// A request passing several requireAuth skips a replay store only where that same store already
// accepted its proof for as long: any other store (the one shared by the nodes, one that is down)
// is still asked.
describe.each(EXPRESS_VERSIONS)('several requireAuth, each replay store asked, %s', (_name, express) => {
  let issuer: TestIssuer;
  let key: DpopKey;
  let token: string;
  let redis: RedisServer;
  const clients: Array<ReturnType<typeof createClient>> = [];
  const servers: Server[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    ({ issuer, key, token } = await startBindingIssuer());
    redis = await startRedis();
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) await close(server);
    for (const client of clients.splice(0)) client.destroy();
  });
  afterAll(async () => {
    await redis.stop();
    await issuer.close();
  });

  function guard(dpop: Dpop, authRequired = true): RequestHandler {
    const log = (line: string) => logs.push(line);
    const base = { issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {}, authRequired };
    return requireAuth({ ...base, dpop: { publicBaseURL: PUBLIC, log, ...dpop } });
  }

  /** A node: an optional app-wide requireAuth (its own options) and the route's. */
  async function node(appWide: Dpop, route: Dpop): Promise<Server> {
    const app: ReturnType<ExpressFactory> = express();
    app.use(guard(appWide, false));
    app.get(PATH, guard(route), echo);
    const server = await listen(app);
    servers.push(server);
    return server;
  }

  async function redisStore(): Promise<ReplayStore> {
    const client = createClient({ socket: { path: redis.path, reconnectStrategy: () => 100 } });
    client.on('error', () => {});
    clients.push(client);
    await client.connect();
    return createRedisReplayStore({ client });
  }

  const fresh = () => makeProof(key, { htu: `${PUBLIC}${PATH}`, accessToken: token });
  const send = (server: Server, proof: string) =>
    request(server)
      .get(PATH)
      .set({ Authorization: `DPoP ${token}`, DPoP: proof });
  const replayed = { error: 'invalid_dpop_proof', error_description: 'DPoP proof replayed' };

  it('refuses on a second node a proof one node accepted, though its app-wide memory store is new to it', async () => {
    const one = await node({}, { replayStore: await redisStore() });
    const two = await node({}, { replayStore: await redisStore() });
    const proof = await fresh();
    const first = await send(one, proof);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ sub: 'user-1' });
    const again = await send(two, proof);
    expect(again.status).toBe(401);
    expect(again.body).toEqual(replayed);
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
    expect((await send(server, proof)).body).toEqual(replayed);
  });

  it('asks the shared store again at a later pass whose window is longer, which keeps a replay out', async () => {
    const { store, ttls } = recordingStore();
    // The store was told to keep the proof 30 s past its iat + 300 s; the route accepts replays for 600.
    const server = await node({ replayStore: store }, { replayStore: store, iatLeeway: 600 });
    const res = await send(server, await fresh());
    expect(res.status).toBe(401);
    expect(res.body).toEqual(replayed);
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
