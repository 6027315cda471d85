import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRedisReplayStore } from '@grantflow/express/redis';
import { createClient } from 'redis';
import { createApp } from './app.js';
import { loadConfig } from './config.js';

function fail(message: string): never {
  console.error(`@grantflow/api could not start: ${message}`);
  process.exit(1);
}

let server: Server;
let issuer: string;
try {
  // Configuration mistakes (a bad URL or port) are the operator's: one line naming them, no stack.
  const config = loadConfig(process.env);
  issuer = config.issuerBaseURL;
  let replayStore;
  if (config.redisUrl !== undefined) {
    // Connects in the background and keeps reconnecting: until Redis answers, DPoP requests get 503.
    const client = createClient({ url: config.redisUrl });
    replayStore = createRedisReplayStore({ client });
    client.connect().catch(() => {});
  }
  server = createApp({ ...config, replayStore }).listen(config.port, () => {
    const { port } = server.address() as AddressInfo;
    const store = config.redisUrl === undefined ? 'in-process' : 'Redis';
    const seed = config.demoSeed ? ', welcome appointments (DEMO_SEED=1)' : '';
    console.log(
      `@grantflow/api listening on http://localhost:${port} (issuer ${issuer}, DPoP ${config.dpop.mode}, replay store ${store}${seed})`,
    );
  });
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
server.on('error', (err) => fail(err.message));
