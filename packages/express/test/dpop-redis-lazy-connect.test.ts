import type { Server } from 'node:http';
import express from 'express';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth } from '../src/index.js';
import { createRedisReplayStore } from '../src/redis.js';
import { close, listen, probeApp } from './support/app.js';
import { makeProof, startBindingIssuer, type DpopKey } from './support/dpop.js';
import type { TestIssuer } from './support/issuer.js';
import { AUDIENCE } from './support/issuer.js';
import { startRedis, type RedisServer } from './support/redis.js';

const PUBLIC = 'https://api.example.test';

// ioredis `lazyConnect: true` connects on its first command; the store sends none while the client
// is not ready, so it has to ask for the connection itself or every DPoP request would get 503.
describe('a Redis replay store on an ioredis client created with lazyConnect and never connected', () => {
  let redis: RedisServer;
  let issuer: TestIssuer;
  let key: DpopKey;
  let token: string;
  let client: Redis;
  let server: Server;

  beforeAll(async () => {
    redis = await startRedis();
    ({ issuer, key, token } = await startBindingIssuer());
    client = new Redis({ path: redis.path, lazyConnect: true, retryStrategy: () => 100 });
    const replayStore = createRedisReplayStore({ client });
    server = await listen(
      probeApp(
        express,
        requireAuth({
          issuerBaseURL: issuer.issuer,
          audience: AUDIENCE,
          env: {},
          dpop: { mode: 'required', publicBaseURL: PUBLIC, replayStore, log: () => {} },
        }),
      ),
    );
  });
  afterAll(async () => {
    await close(server);
    client.disconnect();
    await issuer.close();
    await redis.stop();
  });

  const proof = () => makeProof(key, { htu: `${PUBLIC}/probe`, accessToken: token });
  const send = (dpop: string) =>
    request(server).get('/probe').set('Authorization', `DPoP ${token}`).set('DPoP', dpop);

  it('answers the first request 503, connects, and accepts later ones (the refused proof too)', async () => {
    expect(client.status).toBe('wait');
    const refused = await proof();
    const first = await send(refused);
    expect(first.status).toBe(503);
    expect(first.body.error).toBe('temporarily_unavailable');

    let status = 0;
    for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
      status = (await send(await proof())).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    // The refused request's write was never queued: its proof is not taken for a replay.
    expect((await send(refused)).status).toBe(200);
    const replayed = await send(refused);
    expect(replayed.status).toBe(401);
    expect(replayed.body.error_description).toBe('DPoP proof replayed');
  });
});
