import type { ErrorRequestHandler, RequestHandler } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthError,
  authErrorHandler,
  DPOP_ALGORITHMS,
  InvalidTokenError,
  protectedResourceMetadata,
  requireAuth,
  sendAuthError,
} from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen } from './support/app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';
import type { Server } from 'node:http';

const METADATA = 'https://api.test/.well-known/oauth-protected-resource/things';

// An app's own check after requireAuth (e.g. a claim it needs) answers with the challenge every
// other 401 of the app has: realm, DPoP offer and resource_metadata (RFC 9728 §5.1).
describe.each(EXPRESS_VERSIONS)('errors the app makes itself, on %s', (_name, express) => {
  let issuer: TestIssuer;
  let server: Server;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const app = express();
    app.use(protectedResourceMetadata({ resource: AUDIENCE }));
    const auth = requireAuth({
      issuerBaseURL: issuer.issuer,
      audience: AUDIENCE,
      errors: 'next',
      realm: 'things',
      env: {},
      dpop: {},
    });
    const ownCheck: RequestHandler = (_req, _res, next) =>
      next(new InvalidTokenError('Token has no subject'));
    app.get('/handler', auth, ownCheck);
    app.get('/send', auth, ownCheck);
    app.use('/handler', authErrorHandler());
    const own: ErrorRequestHandler = (err, _req, res, next) => {
      if (err instanceof AuthError) sendAuthError(res, err);
      else next(err);
    };
    app.use('/send', own);
    server = await listen(app);
  });
  afterAll(async () => {
    await close(server);
    await issuer.close();
  });

  it.each(['/handler', '/send'])(
    '%s: carries the realm, the DPoP offer and resource_metadata',
    async (path) => {
      const res = await request(server)
        .get(path)
        .set('Authorization', `Bearer ${await issuer.sign()}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_token', error_description: 'Token has no subject' });
      const metadata = `resource_metadata="${METADATA}"`;
      expect(res.headers['www-authenticate']).toBe(
        `Bearer realm="things", error="invalid_token", error_description="Token has no subject", ${metadata}, ` +
          `DPoP algs="${DPOP_ALGORITHMS.join(' ')}", ${metadata}`,
      );
    },
  );
});
