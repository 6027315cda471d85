import { Agent as HttpAgent, type ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * The agent used for discovery and JWKS requests unless the app gives its own. express-oauth2-jwt-bearer
 * passes `timeout` to `http.get` for discovery but never acts on the resulting 'timeout' event, so a
 * silent issuer would hold that request (and the promise the library caches for it) forever; this
 * agent destroys a socket that stays idle, or open at all, for `timeout` ms, which fails the request
 * instead.
 * Kept because nothing simpler does that: Node's own `Agent({ timeout })` also only emits 'timeout',
 * the library takes no `AbortSignal`, and our per-answer deadline frees the request but not the
 * library's cached promise, so without this an issuer that once hung would never be asked again.
 */
export function createTimeoutAgent(issuerUrl: string, timeout: number): HttpAgent {
  const agent = issuerUrl.startsWith('https:') ? new HttpsAgent({ timeout }) : new HttpAgent({ timeout });
  const create = agent.createConnection.bind(agent) as (
    options: ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ) => Duplex | null | undefined;
  agent.createConnection = (options, callback) => {
    const socket = create(options, callback) as Socket | null | undefined;
    if (!socket) return socket;
    // Idle for `timeout`, or open for `timeout` in all: an issuer that trickles its answer a byte at a
    // time never leaves the socket idle, yet must not hold it (one per attempt) for ever. Sockets are
    // not kept alive (one request each), so this bounds the request.
    const stop = () => socket.destroy(new Error('Request timed out'));
    socket.setTimeout(timeout, stop);
    // Without an error: by then the answer may have begun, and an error on a response whose reader
    // listens for none would be an uncaught exception; the reader sees the answer cut short instead.
    const lifetime = setTimeout(() => socket.destroy(), timeout);
    lifetime.unref();
    socket.once('close', () => clearTimeout(lifetime));
    return socket;
  };
  return agent;
}
