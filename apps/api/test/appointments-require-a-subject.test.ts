import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSign, generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';

const AUDIENCE = 'https://api.test/appointments';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A minimal issuer (discovery + JWKS) whose tokens can leave out `sub`, which the dev IdP never does. */
async function startIssuer() {
  const server = createServer((req, res) => {
    const body =
      req.url === '/jwks'
        ? { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] }
        : { issuer: url, jwks_uri: `${url}/jwks` };
    res.setHeader('content-type', 'application/json').end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sign = (claims: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    const input = `${b64url({ alg: 'RS256', kid: 'k1', typ: 'at+jwt' })}.${b64url({
      iss: url,
      aud: AUDIENCE,
      iat: now,
      exp: now + 300,
      scope: 'read:appointments write:appointments',
      ...claims,
    })}`;
    return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey, 'base64url')}`;
  };
  return { url, sign, server };
}

describe('appointments refuse a token without a subject', () => {
  let issuer: Awaited<ReturnType<typeof startIssuer>>;
  let api: Server;

  beforeAll(async () => {
    issuer = await startIssuer();
    const app = createApp({ issuerBaseURL: issuer.url, audience: AUDIENCE, corsOrigins: [] });
    api = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
  });
  afterAll(async () => {
    for (const s of [api, issuer.server]) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it.each([
    ['no sub', {}],
    ['an empty sub', { sub: '' }],
  ])('answers a token with %s 401 invalid_token on every appointments route', async (_case, claims) => {
    const token = issuer.sign(claims);
    for (const send of [
      () => request(api).get('/api/appointments'),
      () => request(api).post('/api/appointments').send({}),
    ]) {
      const res = await send().set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_token', error_description: 'Token has no subject' });
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="invalid_token", error_description="Token has no subject"',
      );
    }
  });

  it('keeps serving a token with a subject its own appointments', async () => {
    const res = await request(api)
      .get('/api/appointments')
      .set('Authorization', `Bearer ${issuer.sign({ sub: 'user-1' })}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ appointments: [] });
  });
});
