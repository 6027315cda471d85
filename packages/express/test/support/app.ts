import type { Server } from 'node:http';
import express5 from 'express';
import express4 from 'express4';
import type { Express, RequestHandler } from 'express';

/** Both Express majors the package supports; every behaviour test runs against each. */
export const EXPRESS_VERSIONS = [
  ['express 5', express5],
  ['express 4', express4 as unknown as typeof express5],
] as const;

export type ExpressFactory = typeof express5;

/** The route behind the guards under test: `{ ok: true }` once they let the request through. */
export const ok: RequestHandler = (_req, res) => {
  res.json({ ok: true });
};

/** An app whose `/probe` route runs `guards` and then echoes `req.auth` (or `anonymous`). */
export function probeApp(express: ExpressFactory, ...guards: RequestHandler[]): Express {
  const app = express();
  app.get('/probe', ...guards, (req, res) => {
    res.json(req.auth ? { sub: req.auth.payload.sub, scopes: req.auth.scopes } : { anonymous: true });
  });
  return app;
}

/**
 * An app that parses form-encoded and JSON bodies, then answers `/probe` for every method through
 * `requireAuth` (and `guards`) with the caller's `sub`.
 */
export function bodyParsingApp(
  express: ExpressFactory,
  auth: RequestHandler,
  ...guards: RequestHandler[]
): Express {
  const app = express();
  // The body is only seen when the app parses it before requireAuth.
  app.use(express.urlencoded({ extended: false }), express.json());
  app.all('/probe', auth, ...guards, (req, res) => {
    res.json({ sub: req.auth!.payload.sub });
  });
  return app;
}

export function listen(app: Express): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
