import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DPOP_ALGORITHMS, requireAuth, requireScopes } from '../src/index.js';
import { bodyParsingApp, close, EXPRESS_VERSIONS, listen } from './support/app.js';
import { makeProof, startBindingIssuer, type DpopKey } from './support/dpop.js';
import { AUDIENCE, type TestIssuer } from './support/issuer.js';

const ALGS = DPOP_ALGORITHMS.join(' ');
const STATUS_OF: Record<string, number> = {
  invalid_request: 400,
  unauthorized: 401,
  invalid_token: 401,
  invalid_dpop_proof: 401,
  insufficient_scope: 403,
};

// Anything Node's HTTP client will send as a header value: tab, visible ASCII and space, Latin-1.
const headerChar = fc.oneof(
  fc.constant('\t'),
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
);
const junk = fc.string({ unit: headerChar, maxLength: 80 });

type TokenName = 'scoped' | 'unscoped' | 'bound';
const credential = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom<TokenName>('scoped', 'unscoped', 'bound').map((name) => ({ name })),
  },
  { weight: 1, arbitrary: junk.map((text) => ({ text })) },
);
const rarely = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
// Weighted so that well-formed requests (and so 200, 401 and 403 answers) are common, not only 400s.
const arbitraryRequest = fc.record({
  method: fc.constantFrom('GET', 'POST'),
  allowQueryToken: fc.boolean(),
  // `none`: no Authorization header.
  scheme: fc.constantFrom('Bearer', 'DPoP', 'bearer', 'dpop', 'Basic', '', 'none'),
  // The same Authorization header sent two times.
  twice: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  header: credential,
  proof: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('none', 'valid') }, { weight: 1, arbitrary: junk }),
  query: rarely(fc.array(credential, { minLength: 1, maxLength: 2 })),
  body: rarely(fc.tuple(fc.constantFrom('form', 'json'), fc.option(credential, { nil: undefined }))),
});
type ArbitraryRequest = typeof arbitraryRequest extends fc.Arbitrary<infer T> ? T : never;

// Node strips a header value's leading and trailing spaces and tabs; the auth-scheme ends at a space.
const usesDpop = (authorization: string) => /^dpop( |$)/i.test(authorization.replace(/^[ \t]+|[ \t]+$/g, ''));
// RFC 6750 §3.1 counts the methods of sending an access token: another scheme's header (Basic) is none,
// unless a Bearer or DPoP credential is joined to its line; an empty header counts as malformed.
const sendsToken = (authorization: string) => {
  const value = authorization.replace(/^[ \t]+|[ \t]+$/g, '');
  return value === '' || /^(bearer|dpop)( |$)/i.test(value) || /,\s*(bearer|dpop)( |$)/i.test(value);
};

describe.each(EXPRESS_VERSIONS)('credentials in any place (header, query, body) on %s', (_name, express) => {
  let issuer: TestIssuer;
  let key: DpopKey;
  const tokens = {} as Record<TokenName, string>;
  const servers: Record<'strict' | 'query', Server> = {} as never;

  const app = (allowQueryToken: boolean) =>
    bodyParsingApp(
      express,
      requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {}, allowQueryToken, dpop: {} }),
      requireScopes('read:things'),
    );

  beforeAll(async () => {
    ({ issuer, key, token: tokens.bound } = await startBindingIssuer());
    tokens.scoped = await issuer.sign();
    tokens.unscoped = await issuer.sign({ scope: 'other' });
    servers.strict = await listen(app(false));
    servers.query = await listen(app(true));
  });
  afterAll(async () => {
    await close(servers.strict);
    await close(servers.query);
    await issuer.close();
  });

  const text = (c: { name?: TokenName; text?: string }) => (c.name ? tokens[c.name] : c.text!);

  async function send(r: ArbitraryRequest) {
    const server = r.allowQueryToken ? servers.query : servers.strict;
    const query = r.query
      ? `?${r.query.map((c) => `access_token=${encodeURIComponent(text(c))}`).join('&')}`
      : '';
    let req = request(server)[r.method === 'GET' ? 'get' : 'post'](`/probe${query}`);
    const authorization = r.scheme === 'none' ? undefined : `${r.scheme} ${text(r.header)}`;
    if (authorization !== undefined) {
      req = req.set('Authorization', (r.twice ? [authorization, authorization] : authorization) as string);
    }
    if (r.proof !== 'none') {
      const htu = `http://127.0.0.1:${(server.address() as AddressInfo).port}/probe`;
      const proof =
        r.proof === 'valid'
          ? await makeProof(key, { htm: r.method, htu, accessToken: text(r.header) })
          : r.proof;
      req = req.set('DPoP', proof);
    }
    if (r.body) {
      const [type, field] = r.body;
      req = req.type(type).send(field ? { access_token: text(field), note: 'x' } : { note: 'x' });
    }
    return { res: await req, authorization };
  }

  it('answer 200, 400, 401 or 403, never a 5xx, each refusal with its RFC 6750 / RFC 9449 challenge', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryRequest, async (r) => {
        const { res, authorization } = await send(r);
        expect([200, 400, 401, 403]).toContain(res.status);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        if (res.status === 200) {
          expect(res.body).toEqual({ sub: 'user-1' });
          expect(res.headers['www-authenticate']).toBeUndefined();
          return;
        }
        const { error, error_description: description } = res.body as {
          error: string;
          error_description: string;
        };
        expect(STATUS_OF[error]).toBe(res.status);
        expect(description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/);
        // The error goes on the scheme the request used; the other scheme is offered bare.
        const bearer = 'Bearer realm="api"';
        const dpop = `DPoP algs="${ALGS}"`;
        if (error === 'unauthorized') {
          expect(res.headers['www-authenticate']).toBe(`${bearer}, ${dpop}`);
          return;
        }
        const params =
          `, error="${error}", error_description="${description}"` +
          (error === 'insufficient_scope' ? ', scope="read:things"' : '');
        expect(res.headers['www-authenticate']).toBe(
          authorization !== undefined && usesDpop(authorization)
            ? `${dpop}${params}, ${bearer}`
            : `${bearer}${params}, ${dpop}`,
        );
        // RFC 6750 §2: a query token the app did not allow, or credentials in two places, are malformed.
        const formToken = r.body?.[0] === 'form' && r.body[1] !== undefined && r.method !== 'GET';
        const places =
          (authorization !== undefined && sendsToken(authorization) ? 1 : 0) +
          (r.query ? r.query.length : 0) +
          (formToken ? 1 : 0);
        if ((r.query && !r.allowQueryToken) || places > 1) expect(res.status).toBe(400);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['Bearer', 'scoped', 'none', 'GET'],
    ['DPoP', 'bound', 'valid', 'POST'],
  ] as const)('still accept a valid %s request afterwards', async (scheme, name, proof, method) => {
    const plain = { allowQueryToken: false, twice: false, query: undefined, body: undefined };
    const { res } = await send({ ...plain, method, scheme, header: { name }, proof });
    expect(res.status).toBe(200);
  });
});
