import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback port a test holds from start to end, passing each connection on to whatever serves
 * behind it now. For a server that stops and starts again, or that must be unreachable for a while:
 * a port released and taken again later may be another test's server by then.
 */
export interface LoopbackFront {
  port: number;
  /** The loopback port new connections go to, or `undefined` to reset them. */
  route(target: number | undefined): void;
  close(): Promise<void>;
}

const IPV6_UNAVAILABLE = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT']);

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      // A later server error (EMFILE under load, say) must not crash the test process as an unhandled event.
      server.on('error', () => undefined);
      resolve((server.address() as { port: number }).port);
    });
  });
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));

/**
 * Both loopback addresses on one port, as the dev IdP listens: `localhost` may resolve to either, and
 * an address left unheld would be one another server could take.
 */
async function listenLoopback(makeServer: () => Server): Promise<{ port: number; servers: Server[] }> {
  for (let attempt = 1; ; attempt++) {
    const v4 = makeServer();
    const port = await listenOn(v4, 0, '127.0.0.1');
    const v6 = makeServer();
    try {
      await listenOn(v6, port, '::1');
      return { port, servers: [v4, v6] };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (IPV6_UNAVAILABLE.has(code)) return { port, servers: [v4] };
      await closeServer(v4);
      if (code !== 'EADDRINUSE' || attempt === 5) throw error;
    }
  }
}

export async function loopbackFront(): Promise<LoopbackFront> {
  let target: number | undefined;
  const sockets = new Set<Socket>();
  const accept = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A client's reset ends its own connection, nothing more.
    socket.on('error', () => socket.destroy());
    // Nothing behind: the request fails, as one to a stopped server does. Reset once it has arrived:
    // a connection that ends before the client has written counts as unused, and fetch tries again.
    if (target === undefined) return void socket.once('data', () => socket.resetAndDestroy());
    const back = connect(target, '127.0.0.1');
    socket.pipe(back).pipe(socket);
    socket.once('close', () => back.destroy());
    back.on('error', () => socket.resetAndDestroy());
  };
  const { port, servers } = await listenLoopback(() => createServer(accept));
  return {
    port,
    route: (next) => void (target = next),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map(closeServer));
    },
  };
}
