import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { protectedResourceMetadata } from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen, type ExpressFactory } from './support/app.js';

const ORIGIN = 'https://api.test';
const V2 = 'https://api.test/v2';
const BARE = '/.well-known/oauth-protected-resource';

/** The `resource` of the documents an app mounting `resources` (in that order) serves at `paths`. */
async function servedResources(express: ExpressFactory, resources: string[], paths: string[]) {
  const app = express();
  for (const resource of resources) app.use(protectedResourceMetadata({ resource }));
  const server = await listen(app);
  try {
    const answers = [];
    for (const path of paths) answers.push((await request(server).get(path)).body as { resource?: string });
    return answers.map((body) => body.resource);
  } finally {
    await close(server);
  }
}

// RFC 9728 §3.1: the bare URL is the origin resource's own metadata URL; §3.3 has its client refuse
// a document naming another resource, so a path resource must not shadow it there.
describe.each(EXPRESS_VERSIONS)(
  'the bare well-known URL beside an origin resource on %s',
  (_name, express) => {
    it.each([
      ['the path resource first', [V2, ORIGIN]],
      ['the origin resource first', [ORIGIN, V2]],
    ])("answers with the origin resource's document, %s", async (_order, resources) => {
      expect(await servedResources(express, resources, [BARE, `${BARE}/v2`])).toEqual([ORIGIN, V2]);
    });

    it("finds the origin resource's document in a router mounted at the root", async () => {
      const app = express();
      const router = express.Router();
      router.use(protectedResourceMetadata({ resource: ORIGIN }));
      app.use(protectedResourceMetadata({ resource: V2 }));
      app.use(router);
      const server = await listen(app);
      const res = await request(server).get(BARE);
      await close(server);
      expect(res.body).toMatchObject({ resource: ORIGIN });
    });

    // Inside a sub-app mounted at the root, `req.app` is the sub-app: the top app's mounts count too.
    it.each([
      ['the sub-app first', true],
      ['the origin resource first', false],
    ])(
      "answers with the origin resource's document beside a sub-app serving a path resource, %s",
      async (_order, subAppFirst) => {
        const app = express();
        const api = express();
        api.use(protectedResourceMetadata({ resource: V2 }));
        if (subAppFirst) app.use(api);
        app.use(protectedResourceMetadata({ resource: ORIGIN }));
        if (!subAppFirst) app.use(api);
        const server = await listen(app);
        try {
          expect((await request(server).get(BARE)).body).toMatchObject({ resource: ORIGIN });
          expect((await request(server).get(`${BARE}/v2`)).body).toMatchObject({ resource: V2 });
        } finally {
          await close(server);
        }
      },
    );

    it("answers with the path resource's document when the request has no app (Connect, `router` alone)", async () => {
      const app = express();
      // What Connect or the `router` package alone hand a middleware: a request without `req.app`.
      app.use((req, _res, next) => {
        Object.defineProperty(req, 'app', { value: undefined });
        next();
      });
      app.use(protectedResourceMetadata({ resource: V2 }));
      const server = await listen(app);
      const res = await request(server).get(BARE);
      await close(server);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ resource: V2 });
    });

    it("still answers with a lone path resource's document, whatever other apps mount", async () => {
      // Another app with an origin resource, built first: nothing of it may reach this one.
      expect(await servedResources(express, [ORIGIN], [BARE])).toEqual([ORIGIN]);
      expect(await servedResources(express, [V2], [BARE, `${BARE}/v2`])).toEqual([V2, V2]);
    });
  },
);
