import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_AUDIENCE, DEMO_USERS, issueTokens, startDevIdp, type DevIdp } from '@grantflow/dev-idp';
import { DPOP_ALGORITHMS } from '@grantflow/express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';

const APP_ORIGIN = 'http://app.test';
const RESOURCE_METADATA =
  'resource_metadata="https://api.grantflow.local/.well-known/oauth-protected-resource/appointments"';
const [alice, bob] = DEMO_USERS;

describe('appointments API', () => {
  let idp: DevIdp;
  let server: Server;
  let aliceToken: string;
  let bobToken: string;

  beforeAll(async () => {
    idp = await startDevIdp({ port: 0, quiet: true });
    aliceToken = (await issueTokens(idp.issuer, alice!)).access_token;
    bobToken = (await issueTokens(idp.issuer, bob!)).access_token;
    const app = createApp({
      issuerBaseURL: idp.issuer,
      audience: DEFAULT_AUDIENCE,
      corsOrigins: [APP_ORIGIN],
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    expect((server.address() as AddressInfo).port).toBeGreaterThan(0);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await idp.close();
  });

  const as = (token: string) => ({
    get: (path: string) => request(server).get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string) => request(server).post(path).set('Authorization', `Bearer ${token}`),
    delete: (path: string) => request(server).delete(path).set('Authorization', `Bearer ${token}`),
  });

  it('answers /healthz and /api/public without a token', async () => {
    expect((await request(server).get('/healthz')).body).toEqual({ status: 'ok' });
    const res = await request(server).get('/api/public');
    expect(res.status).toBe(200);
    expect(res.body.message).toEqual(expect.any(String));
  });

  it('refuses /api/private without a token with a bare challenge, in JSON', async () => {
    const res = await request(server).get('/api/private');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer realm="api", ${RESOURCE_METADATA}, DPoP algs="${DPOP_ALGORITHMS.join(' ')}", ${RESOURCE_METADATA}`,
    );
    expect(res.body).toEqual({ error: 'unauthorized', error_description: 'Authentication required' });
  });

  it('refuses a bad token on /api/private with 401 invalid_token', async () => {
    const res = await as('not-a.valid.token').get('/api/private');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api", error="invalid_token"/);
    expect(res.body.error).toBe('invalid_token');
  });

  it('tells the caller who they are on /api/private', async () => {
    const res = await as(aliceToken).get('/api/private');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      sub: expect.any(String),
      scopes: expect.arrayContaining(['read:appointments']),
    });
  });

  it('stores appointments per caller: alice creates, only alice lists it', async () => {
    const created = await as(aliceToken)
      .post('/api/appointments')
      .send({ title: '  Dentist ', startsAt: '2030-01-02T09:30:00+01:00', notes: 'Bring the card' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'Dentist',
      startsAt: '2030-01-02T08:30:00.000Z',
      notes: 'Bring the card',
    });

    const mine = await as(aliceToken).get('/api/appointments');
    expect(mine.status).toBe(200);
    expect(mine.body.appointments.map((a: { id: string }) => a.id)).toEqual([created.body.id]);

    const bobs = await as(bobToken).get('/api/appointments');
    expect(bobs.status).toBe(200);
    expect(bobs.body).toEqual({ appointments: [] });
  });

  it('refuses bob (read only) creating an appointment with 403 naming write:appointments', async () => {
    const res = await as(bobToken)
      .post('/api/appointments')
      .send({ title: 'x', startsAt: '2030-01-02T09:30:00Z' });
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="Insufficient scope", scope="write:appointments", ' +
        `${RESOURCE_METADATA}, DPoP algs="${DPOP_ALGORITHMS.join(' ')}", ${RESOURCE_METADATA}`,
    );
    expect(res.body).toEqual({ error: 'insufficient_scope', error_description: 'Insufficient scope' });
  });

  it.each([
    [{}, ['title', 'startsAt']],
    [{ title: '', startsAt: 'tomorrow' }, ['title', 'startsAt']],
    [{ title: 'x'.repeat(201), startsAt: '2030-01-02T09:30:00Z' }, ['title']],
    [{ title: 'x', startsAt: '2030-01-02T09:30:00' }, ['startsAt']],
    [{ title: 'x', startsAt: '2030-13-02T09:30:00Z' }, ['startsAt']],
    // Date.parse would roll these over to 2030-03-02, 2030-05-01 and the next day.
    [{ title: 'x', startsAt: '2030-02-30T10:00Z' }, ['startsAt']],
    [{ title: 'x', startsAt: '2030-04-31T10:00:00Z' }, ['startsAt']],
    [{ title: 'x', startsAt: '2030-01-01T24:00:00+01:00' }, ['startsAt']],
    [{ title: 'x', startsAt: '2030-01-02T09:30:00Z', notes: 5 }, ['notes']],
    [{ title: 'x', startsAt: '2030-01-02T09:30:00Z', owner: 'someone-else' }, ['body']],
    [[1, 2], ['body']],
  ])('answers an invalid body %j with 400 and the fields in error', async (body, fields) => {
    const res = await as(aliceToken)
      .post('/api/appointments')
      .send(body as object);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(Object.keys(res.body.fields).sort()).toEqual([...fields].sort());
  });

  it('answers malformed JSON with 400 and an oversized body with 413, both in JSON', async () => {
    const malformed = await as(aliceToken)
      .post('/api/appointments')
      .set('Content-Type', 'application/json')
      .send('{"title": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({
      error: 'invalid_request',
      error_description: 'The request body is not valid JSON',
    });

    const oversized = await as(aliceToken)
      .post('/api/appointments')
      .send({ title: 'x', startsAt: '2030-01-02T09:30:00Z', notes: 'n'.repeat(20_000) });
    expect(oversized.status).toBe(413);
    expect(oversized.body).toEqual({
      error: 'payload_too_large',
      error_description: 'The request body is too large',
    });
  });

  it('refuses DELETE to both demo users (they lack admin:appointments)', async () => {
    for (const token of [aliceToken, bobToken]) {
      const res = await as(token).delete('/api/appointments/some-id');
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toContain('scope="admin:appointments"');
    }
  });

  it('answers a CORS preflight before auth, allowing Authorization', async () => {
    const res = await request(server)
      .options('/api/appointments')
      .set('Origin', APP_ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
  });

  it('lets the browser read WWW-Authenticate on a refusal, and not for a foreign origin', async () => {
    const refused = await request(server).get('/api/private').set('Origin', APP_ORIGIN);
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(refused.headers['access-control-expose-headers']).toBe('WWW-Authenticate,DPoP-Nonce,Retry-After');

    const foreign = await request(server).get('/api/public').set('Origin', 'http://evil.test');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers an unknown route with JSON 404', async () => {
    const res = await request(server).get('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'not_found', error_description: 'No such route' });
  });
});
