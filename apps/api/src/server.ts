import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(process.env);
const server = createApp(config).listen(config.port, () => {
  const { port } = server.address() as AddressInfo;
  console.log(`@grantflow/api listening on http://localhost:${port} (issuer ${config.issuerBaseURL})`);
});
server.on('error', (err) => {
  console.error(`@grantflow/api could not start: ${err.message}`);
  process.exit(1);
});
