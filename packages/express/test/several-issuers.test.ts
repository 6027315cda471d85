import type { Server } from 'node:http';
import { DEFAULT_AUDIENCE, DEMO_USERS, issueTokens, startDevIdp, type DevIdp } from '@grantflow/dev-idp';
import express from 'express';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth, type RequireAuthOptions } from '../src/index.js';
import { expectAnswer } from './support/answers.js';
import { close, listen } from './support/app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

const [alice] = DEMO_USERS;

describe('several issuers, each with its own keys and audiences', () => {
  let idp: DevIdp;
  let second: TestIssuer;
  let stranger: TestIssuer;
  let aliceToken: string;
  const servers: Server[] = [];

  beforeAll(async () => {
    idp = await startDevIdp({ port: 0, quiet: true });
    [second, stranger] = await Promise.all([startTestIssuer(), startTestIssuer()]);
    aliceToken = (await issueTokens(idp.issuer, alice!)).access_token;
  });
  afterAll(async () => {
    await Promise.all([idp.close(), second.close(), stranger.close()]);
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(close));
  });

  async function serve(options: RequireAuthOptions) {
    const app = express();
    app.get('/whoami', requireAuth({ cache: false, env: {}, ...options }), (req, res) => {
      res.json({ iss: req.auth!.payload.iss, sub: req.auth!.payload.sub });
    });
    const server = await listen(app);
    servers.push(server);
    return (token: string) => request(server).get('/whoami').set('Authorization', `Bearer ${token}`);
  }

  const both = (): RequireAuthOptions => ({
    issuers: [
      { issuerBaseURL: idp.issuer, audience: DEFAULT_AUDIENCE },
      { issuerBaseURL: second.issuer, audience: AUDIENCE },
    ],
  });

  it('accepts tokens from each configured issuer', async () => {
    const call = await serve(both());
    const fromIdp = await call(aliceToken);
    expect(fromIdp.status).toBe(200);
    expect(fromIdp.body.iss).toBe(idp.issuer);
    const fromSecond = await call(await second.sign({ sub: 'second-user' }));
    expect(fromSecond.body).toEqual({ iss: second.issuer, sub: 'second-user' });
  });

  it('refuses an issuer not configured with 401 and no request to anyone', async () => {
    const before = [second.discoveryHits, second.jwksHits];
    const call = await serve(both());
    const res = await call(await stranger.sign());
    expectAnswer(res, 401, 'invalid_token', 'Unexpected token issuer');
    expect([stranger.discoveryHits, stranger.jwksHits]).toEqual([0, 0]);
    expect([second.discoveryHits, second.jwksHits]).toEqual(before);
  });

  it("checks each issuer's own audiences", async () => {
    const call = await serve(both());
    const res = await call(await second.sign({ aud: DEFAULT_AUDIENCE }));
    expectAnswer(res, 401, 'invalid_token', 'Unexpected token audience');
  });

  it("verifies a token against its own issuer's keys only", async () => {
    const call = await serve(both());
    // Signed by the second issuer's key, claiming the dev IdP: checked against the dev IdP's JWKS.
    const forged = await second.sign({ iss: idp.issuer, aud: DEFAULT_AUDIENCE });
    const jwksHits = second.jwksHits;
    const res = await call(forged);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
    expect(second.jwksHits).toBe(jwksHits);
  });

  it('reads a space-separated ISSUER_BASE_URL', async () => {
    const call = await serve({
      env: { ISSUER_BASE_URL: ` ${idp.issuer}  ${second.issuer} `, AUDIENCE: `${DEFAULT_AUDIENCE}` },
      audience: [DEFAULT_AUDIENCE, AUDIENCE],
    });
    expect((await call(aliceToken)).status).toBe(200);
    expect((await call(await second.sign())).status).toBe(200);
  });

  it('routes an issuer configured without its trailing slash', async () => {
    const call = await serve({ issuerBaseURL: idp.issuer.replace(/\/$/, ''), audience: DEFAULT_AUDIENCE });
    expect((await call(aliceToken)).status).toBe(200);
  });

  it('refuses the same issuer configured twice, at start-up', () => {
    expect(() =>
      requireAuth({
        env: {},
        audience: AUDIENCE,
        issuers: [{ issuerBaseURL: second.issuer }, { issuerBaseURL: `${second.issuer}/` }],
      }),
    ).toThrow(/configured twice/);
    expect(() =>
      requireAuth({ env: {}, audience: AUDIENCE, issuers: [], issuerBaseURL: second.issuer }),
    ).toThrow(TypeError);
  });
});
