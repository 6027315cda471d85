import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protectedResourceMetadata } from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen } from './support/app.js';

// A browser client sending a header outside the CORS safelist (e.g. MCP-Protocol-Version) first asks
// with OPTIONS; a refused preflight leaves the public document unreadable to it.
describe.each(EXPRESS_VERSIONS)('CORS preflight of the metadata document on %s', (_name, express) => {
  let server: Server;

  beforeAll(async () => {
    const app = express();
    app.use(protectedResourceMetadata({ resource: 'https://api.test/mcp' }));
    server = await listen(app);
  });
  afterAll(() => close(server));

  it.each(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'])(
    'answers a preflight to %s with 204, allowing GET and HEAD and the headers asked for',
    async (path) => {
      const res = await request(server)
        .options(path)
        .set('Origin', 'https://app.test')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'mcp-protocol-version, x-trace');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD');
      expect(res.headers['access-control-allow-headers']).toBe('mcp-protocol-version, x-trace');
      expect(res.headers.vary).toMatch(/\bAccess-Control-Request-Headers\b/);
      expect(res.text).toBe('');
    },
  );

  it('answers a preflight asking for no headers without Access-Control-Allow-Headers', async () => {
    const res = await request(server)
      .options('/.well-known/oauth-protected-resource/mcp')
      .set('Origin', 'https://app.test')
      .set('Access-Control-Request-Method', 'GET');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-headers']).toBeUndefined();
  });

  it('still refuses other methods with 405, naming OPTIONS among those allowed', async () => {
    const res = await request(server).post('/.well-known/oauth-protected-resource/mcp');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
  });
});
