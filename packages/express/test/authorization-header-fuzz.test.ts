import type { Server } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth, requireScopes } from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen, probeApp } from './support/app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

// Anything Node's HTTP client will send as a header value: tab, visible ASCII and space, Latin-1.
const headerChar = fc.oneof(
  fc.constant('\t'),
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
);
const headerValue = fc.string({ unit: headerChar, maxLength: 300 });
const bearerish = fc.oneof(
  headerValue,
  headerValue.map((v) => `Bearer ${v}`),
  fc
    .tuple(fc.base64String(), fc.base64String(), fc.base64String())
    .map(([a, b, c]) => `Bearer ${a}.${b}.${c}`),
  fc.json().map((json) => `Bearer ${Buffer.from(json).toString('base64url')}.e30.c2ln`),
);

describe.each(EXPRESS_VERSIONS)('arbitrary Authorization headers on %s', (_name, express) => {
  let issuer: TestIssuer;
  let server: Server;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    server = await listen(
      probeApp(
        express,
        requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {} }),
        requireScopes('read:things'),
      ),
    );
  });
  afterAll(async () => {
    await close(server);
    await issuer.close();
  });

  it('never produce a 5xx, and every refusal is a JSON RFC 6750 answer', async () => {
    await fc.assert(
      fc.asyncProperty(bearerish, fc.option(fc.string({ maxLength: 40 })), async (authorization, query) => {
        const path = query === null ? '/probe' : `/probe?access_token=${encodeURIComponent(query)}`;
        const res = await request(server).get(path).set('Authorization', authorization);
        expect([400, 401]).toContain(res.status);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api"/);
        expect(res.body.error).toMatch(/^(unauthorized|invalid_request|invalid_token)$/);
      }),
      { numRuns: 150 },
    );
    const ok = await request(server)
      .get('/probe')
      .set('Authorization', `Bearer ${await issuer.sign()}`);
    expect(ok.status).toBe(200);
  });
});
