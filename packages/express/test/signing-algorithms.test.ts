import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth } from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen, probeApp } from './support/app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

describe.each(EXPRESS_VERSIONS)('signing algorithms on %s', (_name, express) => {
  let issuer: TestIssuer;
  let servers: Record<'any' | 'rsOnly' | 'aliasRsOnly' | 'envPsOnly' | 'envOverridden' | 'strict', Server>;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const base = { issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {} };
    servers = {
      any: await listen(probeApp(express, requireAuth(base))),
      rsOnly: await listen(probeApp(express, requireAuth({ ...base, algorithms: ['RS256'] }))),
      aliasRsOnly: await listen(probeApp(express, requireAuth({ ...base, tokenSigningAlg: 'RS256' }))),
      envPsOnly: await listen(
        probeApp(express, requireAuth({ ...base, env: { TOKEN_SIGNING_ALG: 'PS256' } })),
      ),
      envOverridden: await listen(
        probeApp(
          express,
          requireAuth({ ...base, algorithms: ['RS256', 'ES256'], env: { TOKEN_SIGNING_ALG: 'PS256' } }),
        ),
      ),
      strict: await listen(probeApp(express, requireAuth({ ...base, strict: true }))),
    };
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map(close));
    await issuer.close();
  });

  it.each(['RS256', 'PS256', 'ES256'] as const)('verifies %s tokens', async (alg) => {
    const res = await request(servers.any)
      .get('/probe')
      .set('Authorization', `Bearer ${await issuer.sign({}, { alg })}`);
    expect(res.status).toBe(200);
    expect(res.body.sub).toBe('user-1');
  });

  it('refuses an algorithm outside the configured list', async () => {
    const res = await request(servers.rsOnly)
      .get('/probe')
      .set('Authorization', `Bearer ${await issuer.sign({}, { alg: 'ES256' })}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_token', error_description: 'Signing algorithm not allowed' });
  });

  it("takes tokenSigningAlg (express-oauth2-jwt-bearer's option) as the one allowed algorithm", async () => {
    const call = async (alg: 'RS256' | 'PS256') =>
      request(servers.aliasRsOnly)
        .get('/probe')
        .set('Authorization', `Bearer ${await issuer.sign({}, { alg })}`);
    expect((await call('RS256')).status).toBe(200);
    const refused = await call('PS256');
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({
      error: 'invalid_token',
      error_description: 'Signing algorithm not allowed',
    });
  });

  it('reads TOKEN_SIGNING_ALG from the environment as the default of tokenSigningAlg', async () => {
    const call = async (server: Server, alg: 'RS256' | 'PS256' | 'ES256') =>
      (
        await request(server)
          .get('/probe')
          .set('Authorization', `Bearer ${await issuer.sign({}, { alg })}`)
      ).status;
    expect(await call(servers.envPsOnly, 'PS256')).toBe(200);
    expect(await call(servers.envPsOnly, 'RS256')).toBe(401);
    expect(await call(servers.envPsOnly, 'ES256')).toBe(401);
    // Only a default: options given in code win over it.
    expect(await call(servers.envOverridden, 'RS256')).toBe(200);
    expect(await call(servers.envOverridden, 'ES256')).toBe(200);
    expect(await call(servers.envOverridden, 'PS256')).toBe(401);
  });

  it('requires an RFC 9068 at+jwt in strict mode', async () => {
    const claims = { client_id: 'client-1', jti: 'jti-1' };
    const plain = await issuer.sign(claims);
    const refused = await request(servers.strict).get('/probe').set('Authorization', `Bearer ${plain}`);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: 'invalid_token', error_description: 'Unexpected token type' });

    // RFC 7515 §4.1.9: `application/` may be omitted from `typ`, and media types ignore case.
    for (const typ of ['at+jwt', 'application/at+jwt', 'AT+JWT']) {
      const atJwt = await issuer.sign(claims, { typ });
      const accepted = await request(servers.strict).get('/probe').set('Authorization', `Bearer ${atJwt}`);
      expect(accepted.status, typ).toBe(200);
    }
    const other = await issuer.sign(claims, { typ: 'text/at+jwt' });
    expect((await request(servers.strict).get('/probe').set('Authorization', `Bearer ${other}`)).status).toBe(
      401,
    );
  });
});
