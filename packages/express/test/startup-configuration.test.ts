import request from 'supertest';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { requireAuth, type RequireAuthOptions } from '../src/index.js';
import { close, listen, probeApp } from './support/app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('requireAuth configuration, checked at start-up', () => {
  it('names what to set when no issuer is configured', () => {
    expect(() => requireAuth({ audience: AUDIENCE, env: {} })).toThrow(
      new TypeError(
        "@grantflow/express requireAuth(): no issuer configured. Pass 'issuerBaseURL' (or both 'issuer' and 'jwksUri'), or set ISSUER_BASE_URL.",
      ),
    );
    expect(() => requireAuth({ issuer: 'https://idp.example', audience: AUDIENCE, env: {} })).toThrow(
      /no issuer/,
    );
  });

  it('names what to set when no audience is configured', () => {
    expect(() => requireAuth({ issuerBaseURL: 'https://idp.example', env: {} })).toThrow(
      new TypeError(
        "@grantflow/express requireAuth(): no audience configured. Pass 'audience' or set AUDIENCE.",
      ),
    );
    expect(() => requireAuth({ issuerBaseURL: 'https://idp.example', audience: [], env: {} })).toThrow(
      /no audience/,
    );
  });

  it.each([
    [{ issuerBaseURL: 'not a url' }, /'issuerBaseURL' must be an absolute URL/],
    [{ algorithms: ['HS256'] }, /'algorithms' must be a non-empty subset/],
    [{ algorithms: [] }, /'algorithms' must be a non-empty subset/],
    [{ clockTolerance: -1 }, /'clockTolerance' must be a non-negative number/],
    [{ cache: { max: 0 } }, /'cache.max' must be a positive integer/],
    [{ maxTokenLength: 1.5 }, /'maxTokenLength' must be a positive integer/],
    [{ errors: 'throw' as never }, /'errors' must be 'respond' or 'next'/],
    [{ tokenSigningAlg: 'HS256' }, /'tokenSigningAlg' must be a non-empty subset/],
    [{ tokenSigningAlg: ['RS256'] as never }, /'tokenSigningAlg' must be a string/],
    [{ tokenSigningAlg: 'RS256', algorithms: ['RS256'] }, /either 'algorithms' or 'tokenSigningAlg'/],
  ])('refuses invalid option %j', (options, message) => {
    expect(() =>
      requireAuth({ issuerBaseURL: 'https://idp.example', audience: AUDIENCE, env: {}, ...options }),
    ).toThrow(message);
  });

  it('refuses a TOKEN_SIGNING_ALG that is not an asymmetric algorithm, naming the variable', () => {
    const options = { issuerBaseURL: 'https://idp.example', audience: AUDIENCE };
    expect(() => requireAuth({ ...options, env: { TOKEN_SIGNING_ALG: 'HS256' } })).toThrow(
      /^@grantflow\/express requireAuth\(\): TOKEN_SIGNING_ALG must be a non-empty subset of RS256, /,
    );
    // As for the library, an empty value is no value; `tokenSigningAlg` given in code wins over it.
    expect(() => requireAuth({ ...options, env: { TOKEN_SIGNING_ALG: '' } })).not.toThrow();
    expect(() =>
      requireAuth({ ...options, tokenSigningAlg: 'ES256', env: { TOKEN_SIGNING_ALG: 'HS256' } }),
    ).not.toThrow();
  });

  it('refuses unknown option names instead of ignoring them', () => {
    const options = { issuerBaseURL: 'https://idp.example', audience: AUDIENCE, env: {} };
    expect(() => requireAuth({ ...options, tokenSigningAlgs: 'RS256' } as RequireAuthOptions)).toThrow(
      new TypeError("@grantflow/express requireAuth(): unknown option(s) 'tokenSigningAlgs'."),
    );
    expect(() => requireAuth({ ...options, secret: 's', issuerBaseUrl: 'x' } as RequireAuthOptions)).toThrow(
      "unknown option(s) 'secret', 'issuerBaseUrl'.",
    );
  });

  it('reads ISSUER_BASE_URL and AUDIENCE from the environment by default', async () => {
    await acceptsItsTokens((issuer) => ({ env: { ISSUER_BASE_URL: issuer, AUDIENCE } }));
  });

  it('accepts issuer and jwksUri without discovery', async () => {
    const issuer = await acceptsItsTokens(withoutDiscovery);
    expect(issuer.discoveryHits).toBe(0);
  });

  it('ignores process.env when given `env`, even variables the underlying library would read', async () => {
    vi.stubEnv('ISSUER_BASE_URL', 'http://127.0.0.1:9');
    vi.stubEnv('SECRET', 'a-shared-secret');
    vi.stubEnv('TOKEN_SIGNING_ALG', 'HS256');
    await acceptsItsTokens(withoutDiscovery);
  });
});

const withoutDiscovery = (issuer: string): RequireAuthOptions => ({
  issuer,
  jwksUri: `${issuer}/jwks.json`,
  audience: AUDIENCE,
  env: {},
});

/** Starts a test issuer and an app configured from it; a token it signs must be accepted. */
async function acceptsItsTokens(options: (issuer: string) => RequireAuthOptions): Promise<TestIssuer> {
  const issuer = await startTestIssuer();
  const server = await listen(probeApp(express, requireAuth(options(issuer.issuer))));
  try {
    const res = await request(server)
      .get('/probe')
      .set('Authorization', `Bearer ${await issuer.sign()}`);
    expect(res.status).toBe(200);
    return issuer;
  } finally {
    await close(server);
    await issuer.close();
  }
}
