import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { DEFAULT_AUDIENCE, addRolesClaim, startDevIdp } from '@grantflow/dev-idp';
import { build } from 'vite';

export const STORAGES = ['local', 'session', 'memory'] as const;
export type Storage = (typeof STORAGES)[number];

/** What the tests get to know about the running servers (plain data: it crosses to the test workers). */
export interface StackInfo {
  issuer: string;
  apiUrl: string;
  /** The demo's origin per token storage. */
  demo: Record<Storage, string>;
  /** Seconds an access token lives, and the leeway before expiry at which the demo renews it. */
  accessTokenTtl: number;
  leeway: number;
  /** A second demo whose IdP (DPoP required for the client) and API (DPoP required) both ask for nonces. */
  nonces: { demo: string; issuer: string; apiUrl: string };
}

const DEMO_DIR = join(import.meta.dirname, '..');
// Short enough for the refresh test to wait it out; long enough that the demo's automatic renewal (a
// second before expiry) never falls inside a test that counts token requests, on a loaded machine too.
const ACCESS_TOKEN_TTL = 30;
const LEEWAY = 1;

/** Listens on a free loopback port and resolves with it. */
export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Builds the demo with Vite for these settings and serves the build from `server` as a static host does
 * (a path that names no file gets `index.html`). A built page costs Chromium about half the CPU of a
 * dev server's page, which loads every module on its own; the browser suites were CI's largest cost.
 */
export async function startDemo(
  server: Server,
  storage: Storage,
  env: Record<string, string>,
  buildName: string = storage,
): Promise<{ close(): Promise<void> }> {
  const outDir = join(DEMO_DIR, 'node_modules/.e2e-builds', buildName);
  // Vite reads VITE_* from process.env when it resolves the config; each build gets its own values,
  // and what the environment held before is put back after.
  const given = { ...env, VITE_STORAGE: storage };
  const before = Object.fromEntries(Object.keys(given).map((key) => [key, process.env[key]]));
  Object.assign(process.env, given);
  try {
    await build({
      root: DEMO_DIR,
      configFile: join(DEMO_DIR, 'vite.config.ts'),
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const serve = serveBuild(outDir);
  server.on('request', serve);
  return { close: async () => void server.off('request', serve) };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Serves a Vite build from `outDir`: a file by its path, `index.html` for a path that names none. */
export function serveBuild(outDir: string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://demo.test').pathname;
    const file = join(outDir, path);
    void stat(file)
      .then((found) => (found.isFile() ? file : join(outDir, 'index.html')))
      .catch(() => join(outDir, 'index.html'))
      .then(async (served) => {
        const body = await readFile(served);
        res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(served)] ?? 'application/octet-stream' });
        res.end(body);
      })
      .catch(() => {
        res.writeHead(500).end();
      });
  };
}

/**
 * The dev IdP, apps/api and one demo build per storage choice, all on free loopback ports. The
 * demos listen first: the IdP must know their redirect URIs and origins when it starts.
 */
export async function startStack(): Promise<{ info: StackInfo; close: () => Promise<void> }> {
  const demoServers = STORAGES.map(() => createServer());
  const ports = await Promise.all(demoServers.map(listen));
  const origins = ports.map((port) => `http://localhost:${port}`);
  const closers: (() => Promise<void>)[] = [() => Promise.all(demoServers.map(close)).then(() => undefined)];
  try {
    const idp = await startDevIdp({
      port: 0,
      quiet: true,
      redirectUris: origins.map((o) => `${o}/callback`),
      postLogoutRedirectUris: origins.map((o) => `${o}/`),
      corsOrigins: origins,
      accessTokenTtl: ACCESS_TOKEN_TTL,
      // As the demo's IdP under `pnpm dev`: roles in a namespaced custom claim.
      customizeTokens: addRolesClaim,
    });
    closers.push(() => idp.close());

    const { createApp } = await import('@grantflow/api/src/app.ts');
    const { AppointmentStore, WELCOME_APPOINTMENT } = await import('@grantflow/api/src/appointment-store.ts');
    const apiServer = createServer(
      createApp({
        issuerBaseURL: idp.issuer,
        audience: DEFAULT_AUDIENCE,
        corsOrigins: origins,
        // As `pnpm dev` runs it: each user starts with one appointment, so anyone can try to delete.
        store: new AppointmentStore({ welcome: WELCOME_APPOINTMENT }),
      }),
    );
    const apiUrl = `http://localhost:${await listen(apiServer)}`;
    closers.push(() => close(apiServer));

    const env = {
      VITE_ISSUER: idp.issuer,
      VITE_API_URL: apiUrl,
      VITE_AUDIENCE: DEFAULT_AUDIENCE,
      VITE_LEEWAY: String(LEEWAY),
    };
    const demo = {} as Record<Storage, string>;
    for (const [i, storage] of STORAGES.entries()) {
      const built = await startDemo(demoServers[i]!, storage, env);
      closers.push(() => built.close());
      demo[storage] = origins[i]!;
    }
    const nonces = await startNonceStack(closers);
    return {
      info: { issuer: idp.issuer, apiUrl, demo, accessTokenTtl: ACCESS_TOKEN_TTL, leeway: LEEWAY, nonces },
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

/** Server nonces at the IdP (`use_dpop_nonce` at the token endpoint) and at the API (401 + DPoP-Nonce). */
async function startNonceStack(closers: (() => Promise<void>)[]): Promise<StackInfo['nonces']> {
  const demoServer = createServer();
  const origin = `http://localhost:${await listen(demoServer)}`;
  closers.push(() => close(demoServer));
  const idp = await startDevIdp({
    port: 0,
    quiet: true,
    redirectUris: [`${origin}/callback`],
    postLogoutRedirectUris: [`${origin}/`],
    corsOrigins: [origin],
    dpopNonces: true,
    dpopRequired: true,
  });
  closers.push(() => idp.close());
  const { createApp: createApi } = await import('@grantflow/api/src/app.ts');
  const dpop = { mode: 'required', nonceSecret: randomBytes(32).toString('base64url') } as const;
  const apiServer = createServer(
    createApi({ issuerBaseURL: idp.issuer, audience: DEFAULT_AUDIENCE, corsOrigins: [origin], dpop }),
  );
  const apiUrl = `http://localhost:${await listen(apiServer)}`;
  closers.push(() => close(apiServer));
  const env = { VITE_ISSUER: idp.issuer, VITE_API_URL: apiUrl, VITE_AUDIENCE: DEFAULT_AUDIENCE };
  const built = await startDemo(demoServer, 'local', env, 'dpop-nonces');
  closers.push(() => built.close());
  return { demo: origin, issuer: idp.issuer, apiUrl };
}

async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  for (const closer of closers.reverse()) await closer();
}
