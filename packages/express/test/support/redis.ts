import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  /** Its unix socket: no other process can take it between a `stop` and a `restart`, as a port could. */
  path: string;
  /** Stops the server and removes its socket. */
  stop(): Promise<void>;
  /** Starts it again on the same socket, empty. */
  restart(): Promise<void>;
}

function ping(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function launch(path: string): Promise<ChildProcess> {
  // Debian's redis-server (`apt-get install redis-server`; .ci/run installs it). No TCP, no persistence.
  const child = spawn(
    'redis-server',
    ['--port', '0', '--unixsocket', path, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  const deadline = Date.now() + 10_000;
  while (!(await Promise.race([ping(path), exited]))) {
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING at ${path}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** A real redis-server on a unix socket of its own. */
export async function startRedis(): Promise<RedisServer> {
  const path = join(tmpdir(), `grantflow-redis-${randomUUID()}.sock`);
  let child = await launch(path);
  return {
    path,
    async stop() {
      await kill(child);
      // Killed, it leaves its socket file behind; without it, connections fail as to a stopped server.
      await rm(path, { force: true });
    },
    async restart() {
      await kill(child);
      child = await launch(path);
    },
  };
}
