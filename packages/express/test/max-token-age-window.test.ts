import type { Server } from 'node:http';
import express from 'express';
import type { JWTPayload } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth } from '../src/index.js';
import { checkClaims, type ClaimPolicy } from '../src/token-claims.js';
import { expectAnswer } from './support/answers.js';
import { close, listen, probeApp } from './support/app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

const NOW = 1_800_000_000;
const UNACCEPTABLE = 'Token issued at an unacceptable time';

// jose's rule for `maxTokenAge` (jwtVerify): refused only when `age - clockTolerance > maxTokenAge`
// (too old) or `age < -clockTolerance` (issued in the future), so both ends of the window are
// accepted, and a token issued this very second passes even with no tolerance at all.
describe('the iat window under maxTokenAge, at a fixed clock', () => {
  const policy = (overrides: Partial<ClaimPolicy>): ClaimPolicy => ({
    algorithms: new Set(['RS256']),
    clockTolerance: 0,
    maxTokenAge: 60,
    strict: false,
    ...overrides,
  });
  // Claims as a token may carry them, of any type.
  const refusal = (payload: Record<string, unknown>, overrides: Partial<ClaimPolicy> = {}) =>
    checkClaims(
      { header: { alg: 'RS256' }, payload: { aud: AUDIENCE, exp: NOW + 600, ...payload } as JWTPayload },
      [AUDIENCE],
      policy(overrides),
      NOW,
    )?.message;

  it.each([
    ['issued this second, no tolerance', 0, 0],
    ['exactly maxTokenAge old, no tolerance', 60, 0],
    ['maxTokenAge + tolerance old', 65, 5],
    ['tolerance ahead of the clock', -5, 5],
  ])('accepts a token %s', (_case, age, clockTolerance) => {
    expect(refusal({ iat: NOW - age }, { clockTolerance })).toBeUndefined();
  });

  it.each([
    ['one second older than maxTokenAge, no tolerance', 61, 0],
    ['one second older than maxTokenAge + tolerance', 66, 5],
    ['issued one second in the future, no tolerance', -1, 0],
    ['issued one second beyond the tolerance in the future', -6, 5],
  ])('refuses a token %s', (_case, age, clockTolerance) => {
    expect(refusal({ iat: NOW - age }, { clockTolerance })).toBe(UNACCEPTABLE);
  });

  it('still refuses a missing iat under maxTokenAge or strict, and an iat that is not a number', () => {
    expect(refusal({})).toBe(UNACCEPTABLE);
    expect(refusal({}, { maxTokenAge: undefined, strict: true })).toBe(UNACCEPTABLE);
    expect(refusal({ iat: String(NOW) })).toBe(UNACCEPTABLE);
    expect(refusal({ iat: String(NOW) }, { maxTokenAge: undefined })).toBe(UNACCEPTABLE);
    expect(refusal({}, { maxTokenAge: undefined })).toBeUndefined();
  });
});

// Over HTTP with the cache off, every token also goes through express-oauth2-jwt-bearer's own
// claim checks after the signature: they must not refuse what ours accepted.
describe('maxTokenAge with clockTolerance 0 over HTTP', () => {
  let issuer: TestIssuer;
  let server: Server;
  const now = () => Math.floor(Date.now() / 1000);
  const call = (token: string) => request(server).get('/probe').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const auth = requireAuth({
      issuerBaseURL: issuer.issuer,
      audience: AUDIENCE,
      env: {},
      maxTokenAge: 60,
      clockTolerance: 0,
      cache: false,
    });
    server = await listen(probeApp(express, auth));
  });
  afterAll(async () => {
    await close(server);
    await issuer.close();
  });

  it('accepts a token issued this second and one issued within maxTokenAge', async () => {
    expect((await call(await issuer.sign({ iat: now() }))).status).toBe(200);
    expect((await call(await issuer.sign({ iat: now() - 30 }))).status).toBe(200);
  });

  it.each<[string, () => Promise<string>]>([
    ['older than maxTokenAge', () => issuer.sign({ iat: now() - 120 })],
    ['issued in the future', () => issuer.sign({ iat: now() + 30 })],
    ['without iat', () => issuer.sign({}, { omit: ['iat'] })],
    ['whose iat is not a number', () => issuer.sign({ iat: 'now' as unknown as number })],
  ])('still refuses a token %s', async (_case, token) => {
    expectAnswer(await call(await token()), 401, 'invalid_token', UNACCEPTABLE);
  });
});
