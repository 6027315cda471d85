import type { Server } from 'node:http';
import { createApp } from '../../src/app.js';

/** The API for these issuers (space-separated) and audience, listening on a free loopback port. */
export function startApi(issuerBaseURL: string, audience: string): Promise<Server> {
  const app = createApp({ issuerBaseURL, audience, corsOrigins: [] });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export async function closeAll(servers: Server[]): Promise<void> {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
