import type { Server } from 'node:http';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { closeAll } from './support/servers.js';

// Preflights are answered before any token check, so no issuer needs to answer here.
const ISSUER = 'http://127.0.0.1:9/';

describe('CORS_ORIGINS, from the environment to the preflight answer', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await closeAll(servers.splice(0));
  });

  async function preflight(corsOrigins: string, origin: string) {
    const app = createApp(loadConfig({ ISSUER_BASE_URL: ISSUER, CORS_ORIGINS: corsOrigins }));
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push(server);
    return request(server)
      .options('/api/appointments')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
  }

  it.each([
    'http://a.example,http://b.example:8080',
    'http://a.example http://b.example:8080',
    'http://a.example/, http://b.example:8080/',
  ])('%j allows both origins and no other', async (corsOrigins) => {
    for (const origin of ['http://a.example', 'http://b.example:8080']) {
      const res = await preflight(corsOrigins, origin);
      expect(res.status, origin).toBe(204);
      expect(res.headers['access-control-allow-origin'], origin).toBe(origin);
    }
    const other = await preflight(corsOrigins, 'http://c.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('"*" allows any origin, and lets it read the challenge of a refusal', async () => {
    const res = await preflight('*', 'https://anywhere.example');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-headers']).toBe('Authorization,Content-Type,DPoP');
    const refused = await request(servers[0]!).get('/api/private').set('Origin', 'https://anywhere.example');
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe('*');
    expect(refused.headers['access-control-expose-headers']).toBe('WWW-Authenticate,DPoP-Nonce,Retry-After');
    // Bearer tokens are sent by the app, never by the browser on its own: no credentials mode.
    expect(refused.headers['access-control-allow-credentials']).toBeUndefined();
  });
});
