import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { protectedResourceMetadata } from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen } from './support/app.js';

const PATH = '/.well-known/oauth-protected-resource/things';

// RFC 9728 §2: bearer_methods_supported tells clients where a token may go. requireAuth always accepts
// the Authorization header; a form-encoded body (RFC 6750 §2.2) only when the app parses one, which this
// middleware cannot see: the default promises the header alone, and an app parsing form bodies adds it.
describe.each(EXPRESS_VERSIONS)('bearer_methods_supported on %s', (_name, express) => {
  async function served(options: { bearerMethodsSupported?: Array<'header' | 'body' | 'query'> }) {
    const app = express();
    app.use(protectedResourceMetadata({ resource: 'https://api.test/things', ...options }));
    const server = await listen(app);
    const res = await request(server).get(PATH);
    await close(server);
    return (res.body as { bearer_methods_supported?: unknown }).bearer_methods_supported;
  }

  it('advertises the header only by default, what requireAuth accepts whatever the app parses', async () => {
    expect(await served({})).toEqual(['header']);
  });

  it('advertises what the app sets instead', async () => {
    expect(await served({ bearerMethodsSupported: ['header', 'body'] })).toEqual(['header', 'body']);
    expect(await served({ bearerMethodsSupported: ['header', 'query'] })).toEqual(['header', 'query']);
    expect(await served({ bearerMethodsSupported: ['body'] })).toEqual(['body']);
  });
});
