// The contract with express-oauth2-jwt-bearer: for every failure we translate, the library itself is
// made to produce it (mounted plainly, as an app would) and our translation of its error is asserted,
// beside the answer @grantflow/express gives for the same token. A release that rewords, reclassifies
// or stops refusing one of these fails here instead of silently changing what clients are told.
import express, { type ErrorRequestHandler } from 'express';
import { auth, InvalidTokenError as LibraryInvalidTokenError } from 'express-oauth2-jwt-bearer';
import request from 'supertest';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { requireAuth, type RequireAuthOptions } from '../src/index.js';
import { describeLibraryFailure } from '../src/library-bridge.js';
import { expectAnswer } from './support/answers.js';
import { close, listen, probeApp } from './support/app.js';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { loopbackFront } from '../../../scripts/loopback-front.js';
import { AUDIENCE, segment, startTestIssuer, type SignOptions, type TestIssuer } from './support/issuer.js';

const now = () => Math.floor(Date.now() / 1000);
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

// The default timeoutDuration (5 s): a cold verification fetches discovery and the JWKS within it, which
// on a loaded machine can outlast a short one; only the JWKS that hangs is given a short one.
const shared = { audience: AUDIENCE, cooldownDuration: 0 } as const;

/** The library mounted plainly; the error it hands to `next` is reported as what we make of it. */
async function plainLibrary(options: Record<string, unknown>) {
  const app = express();
  app.get('/probe', auth({ ...shared, secret: '', tokenSigningAlg: '', ...options }), (_req, res) => {
    res.json({ ok: true });
  });
  const report: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    res.status(418).json({
      libraryClass: err instanceof LibraryInvalidTokenError,
      code: (err as { code?: unknown }).code,
      ours: describeLibraryFailure(err),
    });
  };
  app.use(report);
  const server = await listen(app);
  cleanup.push(() => close(server));
  return (token: string) => request(server).get('/probe').set('Authorization', `Bearer ${token}`);
}

async function ourApp(options: RequireAuthOptions) {
  const server = await listen(
    probeApp(express, requireAuth({ ...shared, cache: false, env: {}, ...options })),
  );
  cleanup.push(() => close(server));
  return (token: string) => request(server).get('/probe').set('Authorization', `Bearer ${token}`);
}

// One issuer for the file: its key pairs take seconds to generate on a loaded machine, which per test
// came near the test timeout. Each test sets the faults it needs; they are undone after it.
let sharedIssuer: Promise<TestIssuer> | undefined;
const issuer = () => (sharedIssuer ??= startTestIssuer());
afterEach(async () => {
  const idp = await sharedIssuer;
  if (idp) Object.assign(idp, { jwksMode: 'ok', discoveryMode: 'ok', jwksBody: undefined });
});
afterAll(async () => (await sharedIssuer)?.close());

/** Asserts the library's refusal (its class and code), our reading of it, and our answer. */
async function expectContract(
  options: Pick<RequireAuthOptions, 'issuerBaseURL' | 'issuer' | 'jwksUri' | 'timeoutDuration'>,
  token: string,
  description: string,
  warm?: string,
) {
  const library = await plainLibrary(options);
  const ours = await ourApp(options);
  if (warm) {
    expect((await library(warm)).status).toBe(200);
    expect((await ours(warm)).status).toBe(200);
  }
  const refused = await library(token);
  expect(refused.body).toEqual({ libraryClass: true, code: 'invalid_token', ours: description });
  expectAnswer(await ours(token), 401, 'invalid_token', description);
}

describe('failures the library reports, and our answer to each', () => {
  it('a signature that does not verify', async () => {
    const idp = await issuer();
    const token = await idp.signWithForeignKey();
    await expectContract({ issuerBaseURL: idp.issuer }, token, 'Invalid signature');
  });

  it('a kid the JWKS does not publish', async () => {
    const idp = await issuer();
    const token = await idp.signWithForeignKey({}, { kid: 'rotated-away' });
    await expectContract({ issuerBaseURL: idp.issuer }, token, 'Unknown signing key');
  });

  it.each([
    ['answers 500', 'error'],
    ['hangs', 'hang'],
    ['closes the connection without answering', 'hangup'],
    ['resets the connection', 'reset'],
  ] as const)('a JWKS endpoint that %s', async (_case, mode) => {
    const idp = await issuer();
    idp.jwksMode = mode;
    const short = mode === 'hang' ? { timeoutDuration: 300 } : {};
    await expectContract(
      { issuerBaseURL: idp.issuer, ...short },
      await idp.sign(),
      'Signing keys unavailable',
    );
  });

  it('a discovery document that answers 500', async () => {
    const idp = await issuer();
    idp.discoveryMode = 'error';
    await expectContract({ issuerBaseURL: idp.issuer }, await idp.sign(), 'Signing keys unavailable');
  });

  it('an issuer that cannot be reached', async () => {
    // A port held, resetting every connection: one found free and released could be another's by now.
    const front = await loopbackFront();
    cleanup.push(front.close);
    const issuerBaseURL = `http://127.0.0.1:${front.port}`;
    const token = `${segment({ alg: 'RS256', kid: 'rs256' })}.${segment({ iss: issuerBaseURL, aud: AUDIENCE, exp: now() + 60 })}.c2ln`;
    await expectContract({ issuerBaseURL }, token, 'Signing keys unavailable');
  });

  it('a JWKS URI (no discovery) on a port that refuses connections', async () => {
    const idp = await issuer();
    // Port 1 is privileged: nothing a test starts listens there, so the connection is refused.
    const options = { issuer: idp.issuer, jwksUri: 'http://127.0.0.1:1/jwks.json' };
    await expectContract(options, await idp.sign(), 'Signing keys unavailable');
  });

  it('a token without kid, and two keys of its algorithm in the JWKS', async () => {
    const idp = await issuer();
    // Left published: every other test's token names its key.
    await idp.publishKey('second-rs256');
    const token = await idp.sign({}, { kid: null });
    await expectContract({ issuerBaseURL: idp.issuer }, token, 'Unknown signing key');
  });

  it('an iss that differs from the discovered issuer (a trailing slash)', async () => {
    const idp = await issuer();
    const token = await idp.sign({ iss: `${idp.issuer}/` });
    await expectContract({ issuerBaseURL: idp.issuer }, token, 'Unexpected token issuer', await idp.sign());
  });
});

// A JWKS that answers 200 but gives no usable key is an outage of the keys like a 500 is: answered
// the same, and held back by the same cooldown (a failure the bridge did not recognise was not).
describe('key sets the library cannot use: keys unavailable', () => {
  it.each([
    ['an empty object', '{}'],
    ['an object whose keys are not a list', '{"keys":"x"}'],
    ['an HTML page', '<!doctype html><title>Sign in</title>'],
  ])('a JWKS that is %s', async (_case, body) => {
    const idp = await issuer();
    idp.jwksBody = body;
    await expectContract({ issuerBaseURL: idp.issuer }, await idp.sign(), 'Signing keys unavailable');
  });

  const privateRsaKey = async (): Promise<JWK> => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    return { ...(await exportJWK(privateKey)), kid: 'rs256' };
  };
  it.each<[string, SignOptions, () => Promise<JWK>]>([
    ['a private key', {}, privateRsaKey],
    [
      'an EC key that does not import',
      { alg: 'ES256' },
      async () => ({ kty: 'EC', crv: 'P-256', kid: 'es256', x: 'AAAA', y: 'AAAA' }),
    ],
    [
      'an RSA key shorter than 2048 bits',
      {},
      async () => ({ kty: 'RSA', kid: 'rs256', n: 'AAAA', e: 'AQAB' }),
    ],
  ])("a JWKS publishing %s under the token's kid", async (_case, signOptions, brokenKey) => {
    const idp = await issuer();
    idp.jwksBody = JSON.stringify({ keys: [await brokenKey()] });
    const token = await idp.sign({}, signOptions);
    await expectContract({ issuerBaseURL: idp.issuer }, token, 'Signing keys unavailable');
  });
});

describe('time claims: the library refuses them as we do', () => {
  it.each([
    ['expired', { iat: now() - 600, exp: now() - 60 }, 'Token expired'],
    ['not yet valid', { nbf: now() + 600 }, 'Token not yet valid'],
  ])('%s', async (_case, claims, description) => {
    const idp = await issuer();
    await expectContract({ issuerBaseURL: idp.issuer }, await idp.sign(claims), description);
  });
});

// Refused by our own checks before the library is called (so their descriptions are ours, not read
// from its messages); the library must refuse each too, or the two disagree on what is valid.
type ClaimCase = [string, JWTPayload, SignOptions, Partial<RequireAuthOptions>, string];

describe('claims we check first, which the library refuses as well', () => {
  it.each<ClaimCase>([
    ['a wrong audience', { aud: 'https://other.example' }, {}, {}, 'Unexpected token audience'],
    ['no exp', {}, { omit: ['exp'] }, {}, 'Token has no valid expiry'],
    ['a missing typ under strict', {}, {}, { strict: true }, 'Unexpected token type'],
    [
      'no sub under strict',
      {},
      { typ: 'at+jwt', omit: ['sub'] },
      { strict: true },
      'Missing or invalid claim',
    ],
    [
      'an old iat under maxTokenAge',
      { iat: now() - 600 },
      {},
      { maxTokenAge: 60 },
      'Token issued at an unacceptable time',
    ],
  ])('%s', async (_case, claims, signOptions, options, description) => {
    const idp = await issuer();
    const token = await idp.sign(claims, signOptions);
    const library = await plainLibrary({ issuerBaseURL: idp.issuer, ...options });
    const refused = await library(token);
    expect(refused.status).toBe(418);
    expect(refused.body).toMatchObject({ libraryClass: true, code: 'invalid_token' });
    const ours = await ourApp({ issuerBaseURL: idp.issuer, ...options });
    expectAnswer(await ours(token), 401, 'invalid_token', description);
  });
});

// The library takes its allowed algorithms from discovery's `id_token_signing_alg_values_supported`,
// which is about ID tokens; access tokens may be signed otherwise (issue 4: RS256, PS256 and ES256 all
// verify). We turn its check off and keep our own `algorithms`, checked before the library is called.
describe('a discovery document that lists only RS256 for ID tokens', () => {
  const rsOnlyIdTokens = async () => {
    const idp = await startTestIssuer({ metadata: { id_token_signing_alg_values_supported: ['RS256'] } });
    cleanup.push(() => idp.close());
    return idp;
  };

  it('the library alone refuses an ES256 access token; we verify RS256, PS256 and ES256', async () => {
    const idp = await rsOnlyIdTokens();
    const library = await plainLibrary({ issuerBaseURL: idp.issuer });
    const refused = await library(await idp.sign({}, { alg: 'ES256' }));
    expect(refused.body).toMatchObject({ libraryClass: true, code: 'invalid_token' });
    const ours = await ourApp({ issuerBaseURL: idp.issuer });
    for (const alg of ['RS256', 'PS256', 'ES256'] as const) {
      expect((await ours(await idp.sign({ sub: alg }, { alg }))).status).toBe(200);
    }
  });

  it('our algorithm list still refuses none, HMAC and algorithms not configured', async () => {
    const idp = await rsOnlyIdTokens();
    const claims = { iss: idp.issuer, aud: AUDIENCE, sub: 'user-1', exp: now() + 60 };
    const none = `${segment({ alg: 'none' })}.${segment(claims)}.`;
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'rs256' })
      .sign(new TextEncoder().encode(idp.rsaPublicPem));
    const any = await ourApp({ issuerBaseURL: idp.issuer });
    for (const token of [none, hmac]) {
      expectAnswer(await any(token), 401, 'invalid_token', 'Signing algorithm not allowed');
    }
    const psOnly = await ourApp({ issuerBaseURL: idp.issuer, algorithms: ['PS256'] });
    expect((await psOnly(await idp.sign({}, { alg: 'PS256' }))).status).toBe(200);
    for (const alg of ['RS256', 'ES256'] as const) {
      expectAnswer(
        await psOnly(await idp.sign({}, { alg })),
        401,
        'invalid_token',
        'Signing algorithm not allowed',
      );
    }
  });
});
