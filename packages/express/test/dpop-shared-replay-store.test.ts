import type { Server } from 'node:http';
import express from 'express';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth } from '../src/index.js';
import { createRedisReplayStore, type IoRedisLike, type NodeRedisLike } from '../src/redis.js';
import { close, listen, probeApp } from './support/app.js';
import { dpopKey, makeProof, type DpopKey } from './support/dpop.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';
import { startRedis, type RedisServer } from './support/redis.js';

// Both instances sit behind one public name, as behind a load balancer.
const PUBLIC = 'https://api.example.test';
const HTU = `${PUBLIC}/probe`;
const NONCE_SECRET = 'a shared secret of at least thirty-two characters';

interface Client {
  store: NodeRedisLike | IoRedisLike;
  quit(): Promise<void> | void;
}

const CLIENTS: Array<[string, (path: string) => Promise<Client>]> = [
  [
    'redis (node-redis)',
    async (path) => {
      const client = createClient({ socket: { path, reconnectStrategy: () => 100 } });
      client.on('error', () => {});
      await client.connect();
      return { store: client, quit: () => client.destroy() };
    },
  ],
  [
    'ioredis',
    async (path) => {
      const client = new Redis({ path, retryStrategy: () => 100, lazyConnect: true });
      await client.connect();
      return { store: client, quit: () => client.disconnect() };
    },
  ],
];

describe.each(CLIENTS)(
  'two API instances sharing a Redis replay store through %s',
  (_name, connectClient) => {
    let redis: RedisServer;
    let issuer: TestIssuer;
    let key: DpopKey;
    let token: string;
    const clients: Client[] = [];
    const servers: Server[] = [];
    const logs: string[][] = [];

    async function instance(options: { nonces?: boolean } = {}): Promise<Server> {
      const client = await connectClient(redis.path);
      clients.push(client);
      const log: string[] = [];
      logs.push(log);
      const app = probeApp(
        express,
        requireAuth({
          issuerBaseURL: issuer.issuer,
          audience: AUDIENCE,
          env: {},
          dpop: {
            mode: 'required',
            publicBaseURL: PUBLIC,
            replayStore: createRedisReplayStore({ client: client.store }),
            // Far above a round trip to Redis on a loaded machine; while Redis is down the clients
            // fail at once, so the outage tests do not wait it out.
            replayStoreTimeout: 5000,
            retryAfter: 2,
            log: (line) => log.push(line),
            // A day's step: no new nonce is handed out between the test's requests.
            ...(options.nonces ? { nonceSecret: NONCE_SECRET, nonceStep: 86_400 } : {}),
          },
        }),
      );
      const server = await listen(app);
      servers.push(server);
      return server;
    }

    beforeAll(async () => {
      redis = await startRedis();
      issuer = await startTestIssuer();
      key = await dpopKey();
      token = await issuer.sign({ cnf: { jkt: key.jkt } });
    });
    afterEach(async () => {
      for (const server of servers.splice(0)) await close(server);
      for (const client of clients.splice(0)) await client.quit();
      logs.splice(0);
    });
    afterAll(async () => {
      await issuer.close();
      await redis.stop();
    });

    const send = (server: Server, proof: string) =>
      request(server).get('/probe').set('Authorization', `DPoP ${token}`).set('DPoP', proof);
    const fresh = (nonce?: string) =>
      makeProof(key, { htu: HTU, accessToken: token, ...(nonce ? { nonce } : {}) });

    it('refuses at instance B a proof instance A accepted', async () => {
      const a = await instance();
      const b = await instance();
      const proof = await fresh();
      expect((await send(a, proof)).status).toBe(200);
      const replayed = await send(b, proof);
      expect(replayed.status).toBe(401);
      expect(replayed.body).toEqual({
        error: 'invalid_dpop_proof',
        error_description: 'DPoP proof replayed',
      });
      expect((await send(b, await fresh())).status).toBe(200);
    });

    it('accepts at instance B a nonce instance A handed out', async () => {
      const a = await instance({ nonces: true });
      const b = await instance({ nonces: true });
      const challenge = await send(a, await fresh());
      expect(challenge.status).toBe(401);
      expect(challenge.headers['www-authenticate']).toMatch(/^DPoP algs="[^"]+", error="use_dpop_nonce"/);
      const nonce = challenge.headers['dpop-nonce'] as string;
      expect(nonce).toMatch(/^[\w-]+$/);
      const res = await send(b, await fresh(nonce));
      expect(res.status).toBe(200);
      expect(res.headers['dpop-nonce']).toBeUndefined();
      const foreign = await send(b, await fresh('not-a-nonce-of-ours'));
      expect(foreign.status).toBe(401);
      expect(foreign.headers['dpop-nonce']).toBe(nonce);
    });

    it('fails closed with 503 and Retry-After while Redis is down, logs one line, then recovers', async () => {
      const a = await instance();
      expect((await send(a, await fresh())).status).toBe(200);
      await redis.stop();
      for (let i = 0; i < 3; i++) {
        const res = await send(a, await fresh());
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('2');
        expect(res.body.error).toBe('temporarily_unavailable');
      }
      expect(logs[0]).toHaveLength(1);
      expect(logs[0]![0]).toMatch(/DPoP replay store unreachable/);

      await redis.restart();
      let status = 0;
      for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
        status = (await send(a, await fresh())).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(200);
      expect(logs[0]).toHaveLength(2);
      expect(logs[0]![1]).toMatch(/back/);
    });

    // Issue 9: a store write that timed out must never run later (a client's offline queue would
    // send it on reconnect), or the proof refused with 503 is called replayed when the client retries.
    it('accepts after the outage a proof it refused with 503 while Redis was down', async () => {
      const a = await instance();
      const b = await instance();
      expect((await send(a, await fresh())).status).toBe(200);
      await redis.stop();
      const refused = await fresh();
      expect((await send(a, refused)).status).toBe(503);
      expect((await send(b, refused)).status).toBe(503);

      await redis.restart();
      for (const server of [a, b]) {
        let status = 0;
        for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
          status = (await send(server, await fresh())).status;
          if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(status).toBe(200);
      }
      expect((await send(a, refused)).status).toBe(200);
      const replayed = await send(b, refused);
      expect(replayed.status).toBe(401);
      expect(replayed.body.error_description).toBe('DPoP proof replayed');
    });
  },
);
