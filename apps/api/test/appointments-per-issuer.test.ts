import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIssuer } from './support/issuer.js';
import { closeAll, startApi } from './support/servers.js';

const AUDIENCE = 'https://api.test/appointments';

// A `sub` is unique only within its issuer (OIDC Core §2, RFC 9068 §2.2): with several issuers, the
// same `sub` from two of them is two users.
describe('appointments belong to an issuer and a subject together', () => {
  let first: Awaited<ReturnType<typeof startIssuer>>;
  let second: Awaited<ReturnType<typeof startIssuer>>;
  let api: Server;

  beforeAll(async () => {
    [first, second] = await Promise.all([startIssuer(AUDIENCE), startIssuer(AUDIENCE)]);
    api = await startApi(`${first.url} ${second.url}`, AUDIENCE);
  });
  afterAll(() => closeAll([api, first.server, second.server]));

  const list = (token: string) =>
    request(api).get('/api/appointments').set('Authorization', `Bearer ${token}`);

  it('keeps the same sub of two issuers apart', async () => {
    const created = await request(api)
      .post('/api/appointments')
      .set('Authorization', `Bearer ${first.sign({ sub: 'user-1' })}`)
      .send({ title: 'First issuer only', startsAt: '2030-01-02T09:30:00Z' });
    expect(created.status).toBe(201);
    expect(created.body.owner).toEqual({ iss: first.url, sub: 'user-1' });

    const fromSecond = await list(second.sign({ sub: 'user-1' }));
    expect(fromSecond.status).toBe(200);
    expect(fromSecond.body).toEqual({ appointments: [] });

    const fromFirst = await list(first.sign({ sub: 'user-1' }));
    expect(fromFirst.body.appointments).toEqual([created.body]);
  });
});
