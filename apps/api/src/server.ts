import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';

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
  server = createApp(config).listen(config.port, () => {
    const { port } = server.address() as AddressInfo;
    console.log(`@grantflow/api listening on http://localhost:${port} (issuer ${issuer})`);
  });
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
server.on('error', (err) => fail(err.message));
