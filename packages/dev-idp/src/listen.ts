import { createServer, type RequestListener, type Server } from 'node:http';

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen({ port, host }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // Keep-alive sockets would hold close() open for seconds; nobody needs them after this.
    server.closeAllConnections();
  });
}

const IPV6_UNAVAILABLE = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT']);

export interface LoopbackServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 and ::1 with the same port: `localhost` resolves to either depending on the
 * machine, and the issuer is `http://localhost:PORT/`. Only loopback, never the network.
 */
export async function listenLoopback(port: number, handler: RequestListener): Promise<LoopbackServer> {
  for (let attempt = 0; ; attempt += 1) {
    const v4 = createServer(handler);
    const actualPort = await listenOn(v4, port, '127.0.0.1');
    const v6 = createServer(handler);
    try {
      await listenOn(v6, actualPort, '::1');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!IPV6_UNAVAILABLE.has(code)) {
        await closeServer(v4);
        // A free IPv4 port may be taken on IPv6; with port 0 try another one.
        if (port === 0 && code === 'EADDRINUSE' && attempt < 5) continue;
        throw error;
      }
    }
    const servers = [v4, v6];
    return {
      port: actualPort,
      close: async () => {
        await Promise.all(servers.map(closeServer));
      },
    };
  }
}
