import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth } from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen, probeApp } from './support/app.js';
import { makeProof, startBindingIssuer, type DpopKey } from './support/dpop.js';
import { AUDIENCE, type TestIssuer } from './support/issuer.js';

const headerChar = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
);
const headerValue = fc.string({ unit: headerChar, maxLength: 200 });
const segment = fc.oneof(
  fc.base64String(),
  fc.json().map((json) => Buffer.from(json).toString('base64url')),
  fc
    .record({
      typ: fc.constantFrom('dpop+jwt', 'JWT'),
      alg: fc.constantFrom('ES256', 'none', 'HS256'),
      jwk: fc.object(),
    })
    .map((h) => Buffer.from(JSON.stringify(h)).toString('base64url')),
);
const proofish = fc.oneof(
  headerValue,
  fc.tuple(segment, segment, segment).map((parts) => parts.join('.')),
);

describe.each(EXPRESS_VERSIONS)('arbitrary DPoP requests on %s', (_name, express) => {
  let issuer: TestIssuer;
  let server: Server;
  let key: DpopKey;
  let token: string;

  beforeAll(async () => {
    ({ issuer, key, token } = await startBindingIssuer());
    server = await listen(
      probeApp(express, requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {}, dpop: {} })),
    );
  });
  afterAll(async () => {
    await close(server);
    await issuer.close();
  });

  it('never produce a 5xx, and every refusal is a JSON answer with a challenge', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('DPoP', 'Bearer', 'dpop'),
        fc.oneof(fc.constant(token), headerValue),
        proofish,
        async (scheme, credential, proof) => {
          const res = await request(server)
            .get('/probe')
            .set('Authorization', `${scheme} ${credential}`)
            .set('DPoP', proof);
          expect([400, 401]).toContain(res.status);
          expect(res.headers['www-authenticate']).toMatch(/(^|, )(Bearer realm="api"|DPoP algs=")/);
          expect(res.body.error).toMatch(/^(unauthorized|invalid_request|invalid_token|invalid_dpop_proof)$/);
        },
      ),
      { numRuns: 150 },
    );
    const htu = `http://127.0.0.1:${(server.address() as AddressInfo).port}/probe`;
    const ok = await request(server)
      .get('/probe')
      .set('Authorization', `DPoP ${token}`)
      .set('DPoP', await makeProof(key, { htu, accessToken: token }));
    expect(ok.status).toBe(200);
  });
});
