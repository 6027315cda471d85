import express from 'express';
import type { AuthResult, JWTPayload } from 'express-oauth2-jwt-bearer';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toAuthResult } from '../src/auth-result.js';
import { createVerifiedTokenCache } from '../src/cache.js';
import { requireAuth } from '../src/index.js';
import { close, listen, probeApp } from './support/app.js';
import { AUDIENCE, startTestIssuer } from './support/issuer.js';

const T0 = 1_800_000_000_000;

function result(token: string, payload: JWTPayload): AuthResult {
  return toAuthResult({ token, header: { alg: 'RS256' }, payload });
}

function setUp(overrides: { max?: number; ttl?: number; maxTokenAge?: number } = {}) {
  let now = T0;
  const cache = createVerifiedTokenCache({
    max: 10,
    ttl: 600_000,
    maxTokenAge: undefined,
    now: () => now,
    ...overrides,
  });
  // A token is admitted on its second verification.
  const verifiedTwice = (entry: AuthResult) => {
    cache.set(entry);
    cache.set(entry);
  };
  return { cache, verifiedTwice, advance: (ms: number) => (now += ms) };
}

describe('verified-token cache', () => {
  it('never answers a token with another that shares its fingerprint (length and last 8 characters)', () => {
    const { cache, verifiedTwice } = setUp();
    verifiedTwice(result('victim.payload.AAAAsignature', { exp: T0 / 1000 + 60 }));
    expect(cache.get('victim.payload.AAAAsignature')?.token).toBe('victim.payload.AAAAsignature');
    expect(cache.get('forged.payload.AAAAsignature')).toBeUndefined();
  });

  it('stores a token only from its second verification on', () => {
    const { cache } = setUp();
    const once = result('seen-once', { exp: T0 / 1000 + 60 });
    cache.set(once);
    expect(cache.get('seen-once')).toBeUndefined();
    cache.set(once);
    expect(cache.get('seen-once')).toBe(once);
  });

  it('serves a verified token until its exp, then forgets it', () => {
    const { cache, verifiedTwice, advance } = setUp();
    const entry = result('t1', { sub: 'a', exp: T0 / 1000 + 60 });
    verifiedTwice(entry);
    expect(cache.get('t1')).toBe(entry);
    advance(60_000);
    expect(cache.get('t1')).toBe(entry);
    advance(1);
    expect(cache.get('t1')).toBeUndefined();
  });

  it('never keeps an entry longer than the configured ttl', () => {
    const { cache, verifiedTwice, advance } = setUp({ ttl: 1000 });
    verifiedTwice(result('t1', { exp: T0 / 1000 + 3600 }));
    advance(1001);
    expect(cache.get('t1')).toBeUndefined();
  });

  it('honours maxTokenAge: the entry ends at iat + maxTokenAge', () => {
    const { cache, verifiedTwice, advance } = setUp({ maxTokenAge: 30 });
    verifiedTwice(result('t1', { iat: T0 / 1000 - 20, exp: T0 / 1000 + 3600 }));
    advance(10_000);
    expect(cache.get('t1')).toBeDefined();
    advance(1);
    expect(cache.get('t1')).toBeUndefined();
    verifiedTwice(result('no-iat', { exp: T0 / 1000 + 3600 }));
    expect(cache.get('no-iat')).toBeUndefined();
  });

  it('keeps the verification of sender-constrained tokens (their presentation is checked per request)', () => {
    const { cache, verifiedTwice } = setUp();
    verifiedTwice(result('dpop', { exp: T0 / 1000 + 60, cnf: { jkt: 'thumbprint' } }));
    expect(cache.get('dpop')?.payload.cnf).toEqual({ jkt: 'thumbprint' });
  });

  it('stores nothing already expired or without exp', () => {
    const { cache, verifiedTwice } = setUp();
    verifiedTwice(result('expired', { exp: T0 / 1000 }));
    verifiedTwice(result('no-exp', { sub: 'a' }));
    expect(cache.get('expired')).toBeUndefined();
    expect(cache.get('no-exp')).toBeUndefined();
  });

  it('evicts the least recently used entry beyond max', () => {
    const { cache, verifiedTwice } = setUp({ max: 2 });
    const exp = T0 / 1000 + 60;
    verifiedTwice(result('a', { exp }));
    verifiedTwice(result('b', { exp }));
    cache.get('a');
    verifiedTwice(result('c', { exp }));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('shares a frozen result, so one request cannot alter what the next one sees', () => {
    const { cache, verifiedTwice } = setUp();
    verifiedTwice(
      result('t1', { scope: 'a b', permissions: ['p', 1], nested: { x: 1 }, exp: T0 / 1000 + 60 }),
    );
    const entry = cache.get('t1')!;
    expect(entry.scopes).toEqual(['a', 'b']);
    expect(entry.permissions).toEqual(['p']);
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry.payload)).toBe(true);
    expect(Object.isFrozen(entry.payload.nested)).toBe(true);
    expect(Object.isFrozen(entry.scopes)).toBe(true);
  });
});

describe('verified-token cache in requireAuth', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("checks and verifies a token that shares a cached token's fingerprint, as any other", async () => {
    const issuer = await startTestIssuer();
    const server = await listen(
      probeApp(express, requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {} })),
    );
    try {
      const token = await issuer.sign();
      const call = (t: string) => request(server).get('/probe').set('Authorization', `Bearer ${t}`);
      expect((await call(token)).status).toBe(200);
      expect((await call(token)).status).toBe(200); // now cached
      const signatureStart = token.lastIndexOf('.') + 1;
      const swap = (at: number, char: string) => token.slice(0, at) + char + token.slice(at + 1);
      // Same length and last characters, so the same fingerprint: the cache must not answer them.
      const malformed = await call(swap(signatureStart, token[signatureStart] === '$' ? '!' : '$'));
      expect(malformed.body).toEqual({ error: 'invalid_token', error_description: 'Malformed token' });
      const forged = await call(swap(signatureStart, token[signatureStart] === 'A' ? 'B' : 'A'));
      expect(forged.body).toEqual({ error: 'invalid_token', error_description: 'Invalid signature' });
      expect((await call(token)).status).toBe(200);
    } finally {
      await close(server);
      await issuer.close();
    }
  });

  it.each([
    ['exp', {}, { exp: 60 }, 66_000, 'Token expired'],
    ['maxTokenAge', { maxTokenAge: 30 }, { exp: 3600 }, 36_000, 'Token issued at an unacceptable time'],
  ])('never extends a token past its %s', async (_case, options, lifetime, later, description) => {
    // Only Date is faked: sockets and timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    const issuer = await startTestIssuer();
    const server = await listen(
      probeApp(
        express,
        requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {}, ...options }),
      ),
    );
    try {
      const now = Math.floor(Date.now() / 1000);
      const token = await issuer.sign({ iat: now, exp: now + lifetime.exp });
      const call = () => request(server).get('/probe').set('Authorization', `Bearer ${token}`);
      expect((await call()).status).toBe(200);
      expect((await call()).status).toBe(200);
      vi.setSystemTime(Date.now() + later);
      const res = await call();
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_token', error_description: description });
    } finally {
      await close(server);
      await issuer.close();
    }
  });
});
