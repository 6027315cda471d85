import type { Server } from 'node:http';
import { SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth, requireScopes } from '../src/index.js';
import { expectAnswer } from './support/answers.js';
import { close, EXPRESS_VERSIONS, listen, probeApp } from './support/app.js';
import { AUDIENCE, segment, startTestIssuer, type TestIssuer } from './support/issuer.js';

const now = () => Math.floor(Date.now() / 1000);

describe.each(EXPRESS_VERSIONS)('RFC 6750 answers on %s', (_name, express) => {
  let issuer: TestIssuer;
  let server: Server;
  let valid: string;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const app = probeApp(
      express,
      requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {} }),
      requireScopes('read:things'),
    );
    server = await listen(app);
    valid = await issuer.sign();
  });
  afterAll(async () => {
    await close(server);
    await issuer.close();
  });

  // After every refusal the server must still answer a good request normally.
  async function stillAnswers() {
    const res = await request(server).get('/probe').set('Authorization', `Bearer ${valid}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sub: 'user-1', scopes: ['read:things'] });
  }

  it("exposes Okta's or Entra's scp claim as the scopes when there is no scope claim", async () => {
    for (const scp of [['read:things', 'write:things'], 'read:things write:things']) {
      const token = await issuer.sign({ scp }, { omit: ['scope'] });
      const res = await request(server).get('/probe').set('Authorization', `Bearer ${token}`);
      expect(res.body).toEqual({ sub: 'user-1', scopes: ['read:things', 'write:things'] });
    }
  });

  it('accepts a valid token and exposes the parsed scopes', async () => {
    await stillAnswers();
  });

  it('answers a request without credentials with a bare 401 challenge', async () => {
    const res = await request(server).get('/probe');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.body).toEqual({ error: 'unauthorized', error_description: 'Authentication required' });
    await stillAnswers();
  });

  it("names the app's realm as a quoted-string, its quotes and backslashes escaped", async () => {
    const realm = 'the "things" \\ api';
    const app = await listen(
      probeApp(express, requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, realm, env: {} })),
    );
    const res = await request(app).get('/probe');
    await close(app);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="the \\"things\\" \\\\ api"');
  });

  it.each(['Basic dXNlcjpwYXNz', 'DPoP abc.def.ghi', 'Bearerabc'])(
    'treats another scheme (%s) as no bearer credentials',
    async (header) => {
      const res = await request(server).get('/probe').set('Authorization', header);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
      await stillAnswers();
    },
  );

  it.each([
    ['an empty token', 'Bearer', 'Empty bearer token'],
    ['an empty token after spaces', 'Bearer    ', 'Empty bearer token'],
    ['an empty Authorization header', '', 'Empty Authorization header'],
  ])('refuses %s with 400 invalid_request', async (_case, header, description) => {
    const res = await request(server).get('/probe').set('Authorization', header);
    expectAnswer(res, 400, 'invalid_request', description);
    await stillAnswers();
  });

  it('refuses several Authorization headers with 400 invalid_request', async () => {
    const res = await request(server)
      .get('/probe')
      // An array makes Node send the header twice; supertest's types only allow that for Cookie.
      .set('Authorization', [`Bearer ${valid}`, `Bearer ${valid}`] as unknown as string);
    expectAnswer(res, 400, 'invalid_request', 'Several Authorization headers');
    await stillAnswers();
  });

  it('refuses a token in the query string unless the app opts in', async () => {
    const res = await request(server).get(`/probe?access_token=${valid}`);
    expectAnswer(res, 400, 'invalid_request', 'Access tokens are not accepted in the query string');
    const both = await request(server)
      .get(`/probe?access_token=${valid}`)
      .set('Authorization', `Bearer ${valid}`);
    expectAnswer(both, 400, 'invalid_request', 'Access tokens are not accepted in the query string');
    await stillAnswers();
  });

  it.each(['access%5Ftoken', 'access%5ftoken', '%61ccess_token'])(
    'refuses a token in the query string under a percent-encoded name (%s), alone or beside the header',
    async (name) => {
      const description = 'Access tokens are not accepted in the query string';
      expectAnswer(await request(server).get(`/probe?${name}=${valid}`), 400, 'invalid_request', description);
      const both = await request(server)
        .get(`/probe?${name}=${valid}`)
        .set('Authorization', `Bearer ${valid}`);
      expectAnswer(both, 400, 'invalid_request', description);
      await stillAnswers();
    },
  );

  const cases: Array<[string, (i: TestIssuer) => Promise<string> | string, string]> = [
    ['a bad signature', (i) => i.signWithForeignKey(), 'Invalid signature'],
    ['an unknown kid', (i) => i.signWithForeignKey({}, { kid: 'unknown' }), 'Unknown signing key'],
    [
      'alg none',
      (i) =>
        `${segment({ alg: 'none', typ: 'JWT' })}.${segment({ iss: i.issuer, aud: AUDIENCE, exp: now() + 60 })}.`,
      'Signing algorithm not allowed',
    ],
    [
      'HMAC signed with the public key',
      (i) =>
        new SignJWT({ iss: i.issuer, aud: AUDIENCE, sub: 'user-1', scope: 'read:things', exp: now() + 60 })
          .setProtectedHeader({ alg: 'HS256', kid: 'rs256' })
          .sign(new TextEncoder().encode(i.rsaPublicPem)),
      'Signing algorithm not allowed',
    ],
    ['a wrong issuer', (i) => i.sign({ iss: 'https://evil.example' }), 'Unexpected token issuer'],
    ['a wrong audience', (i) => i.sign({ aud: 'https://other.example/api' }), 'Unexpected token audience'],
    ['an expired token', (i) => i.sign({ iat: now() - 600, exp: now() - 60 }), 'Token expired'],
    ['a token not yet valid', (i) => i.sign({ nbf: now() + 600 }), 'Token not yet valid'],
    ['a token without exp', (i) => i.sign({}, { omit: ['exp'] }), 'Token has no valid expiry'],
    ['a token with a non-numeric exp', (i) => i.sign({ exp: 'soon' as never }), 'Token has no valid expiry'],
    [
      'a DPoP-bound token sent as Bearer',
      (i) => i.sign({ cnf: { jkt: 'pJ3aW0d2fQkZ3kzqG1kVnY8aGx8n2v5oS3f2b1c0d9e' } }),
      'Sender-constrained token used as a bearer token',
    ],
    ['a malformed token', () => 'abc.def.ghi', 'Malformed token'],
    // RFC 6750 §3.1: a malformed token is invalid_token, not a malformed request.
    ['a token with a space inside', () => 'abc def', 'Malformed token'],
    ['a token with characters outside b64token', () => 'abc$def', 'Malformed token'],
    ['a token with a quote inside', () => 'abc"def', 'Malformed token'],
    ['a token that is not a JWT', () => 'abcdef', 'Malformed token'],
    [
      'a header that is not JSON',
      () => `${Buffer.from('{nope').toString('base64url')}.e30.sig`,
      'Malformed token',
    ],
    ['an oversized token', () => 'a'.repeat(9000), 'Token too large'],
  ];

  it.each(cases)('refuses %s with 401 invalid_token', async (_case, make, description) => {
    const token = await make(issuer);
    const res = await request(server).get('/probe').set('Authorization', `Bearer ${token}`);
    expectAnswer(res, 401, 'invalid_token', description);
    await stillAnswers();
  });

  it('refuses a DPoP-bound token sent as Bearer on every request, once its verification is cached too', async () => {
    const token = await issuer.sign({ cnf: { jkt: 'pJ3aW0d2fQkZ3kzqG1kVnY8aGx8n2v5oS3f2b1c0d9e' } });
    for (let i = 0; i < 3; i++) {
      const res = await request(server).get('/probe').set('Authorization', `Bearer ${token}`);
      expectAnswer(res, 401, 'invalid_token', 'Sender-constrained token used as a bearer token');
    }
  });

  it('answers a valid token lacking the scope with 403 insufficient_scope naming it', async () => {
    const token = await issuer.sign({ scope: 'write:things' });
    const res = await request(server).get('/probe').set('Authorization', `Bearer ${token}`);
    expectAnswer(res, 403, 'insufficient_scope', 'Insufficient scope', 'read:things');
    await stillAnswers();
  });
});
