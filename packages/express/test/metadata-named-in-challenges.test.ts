import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protectedResourceMetadata, requireAuth, requireScopes, resourceMetadataUrl } from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen, ok } from './support/app.js';
import { startTestIssuer, type TestIssuer } from './support/issuer.js';

const A = 'https://api.test/a';
const B = 'https://api.test/b/';
const ORIGIN = 'https://api.test';
const ELSEWHERE = 'https://api.test/elsewhere';

const names = (url: string) => `Bearer realm="api", resource_metadata="${url}"`;

// RFC 9728 §5.1 / §3.3: a client follows `resource_metadata` and refuses a document whose `resource`
// is not the API it called, so each API's challenges must name that API's document.
describe.each(EXPRESS_VERSIONS)(
  'challenges name the document of the API the request hit on %s',
  (_name, express) => {
    let idp: TestIssuer;
    let server: Server;

    beforeAll(async () => {
      idp = await startTestIssuer();
      const auth = (audience: string, more = {}) =>
        requireAuth({ issuerBaseURL: idp.issuer, audience, env: {}, ...more });
      const app = express();
      // Mounted in an order where "the last one mounted" is right for no API.
      for (const resource of [A, B, ELSEWHERE, ORIGIN]) app.use(protectedResourceMetadata({ resource }));
      // APIs whose audience is no document's resource: found by the request's path.
      app.use('/a/for-b', auth(B), ok);
      app.use('/a', auth('urn:a'), requireScopes('admin'), ok);
      app.use('/b', auth('urn:b'), ok);
      app.use('/public', auth('urn:public'), ok);
      // An API served under a path other than its resource's: found by its audience.
      app.use('/moved', auth(ELSEWHERE), ok);
      app.use('/explicit', auth(A, { resourceMetadata: 'https://docs.test/meta' }), ok);
      server = await listen(app);
    });
    afterAll(async () => {
      await close(server);
      await idp.close();
    });

    it.each([
      ['/a', A],
      ['/a/deeper', A],
      ['/b', B],
      ['/b/x?y=1', B],
      ['/public', ORIGIN],
    ])('names the document of the resource whose path %s lies under', async (path, resource) => {
      const res = await request(server).get(path);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(names(resourceMetadataUrl(resource)));
    });

    it.each([
      ['/moved', ELSEWHERE],
      ['/a/for-b', B],
    ])(
      "names the document whose resource is one of requireAuth's audiences (%s), before the path",
      async (path, resource) => {
        const res = await request(server).get(path);
        expect(res.headers['www-authenticate']).toBe(names(resourceMetadataUrl(resource)));
      },
    );

    it("names the API's document in a guard's 403 too", async () => {
      const res = await request(server)
        .get('/a')
        .set('Authorization', `Bearer ${await idp.sign({ aud: 'urn:a' })}`);
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toContain(`resource_metadata="${resourceMetadataUrl(A)}"`);
    });

    it('keeps requireAuth({ resourceMetadata }) over every mounted document', async () => {
      const res = await request(server).get('/explicit');
      expect(res.headers['www-authenticate']).toBe(names('https://docs.test/meta'));
    });

    it('names no document when several are mounted and none is for the API', async () => {
      const app = express();
      for (const resource of [A, B]) app.use(protectedResourceMetadata({ resource }));
      app.use('/c', requireAuth({ issuerBaseURL: idp.issuer, audience: 'https://api.test/c', env: {} }));
      const other = await listen(app);
      const res = await request(other).get('/c');
      await close(other);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    });
  },
);
