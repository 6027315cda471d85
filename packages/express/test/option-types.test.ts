import type { Server } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import type { RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authErrorHandler, requireAuth, type RequireAuthOptions } from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen, type ExpressFactory } from './support/app.js';

// No request below carries credentials, so nothing is ever fetched from these.
const BASE = {
  issuer: 'https://idp.test/',
  jwksUri: 'http://127.0.0.1:9/jwks',
  audience: 'api',
  env: {},
} as const;

const REQUIRE_AUTH_OPTIONS = [
  'issuerBaseURL',
  'issuer',
  'jwksUri',
  'audience',
  'issuers',
  'resourceMetadata',
  'algorithms',
  'tokenSigningAlg',
  'clockTolerance',
  'maxTokenAge',
  'strict',
  'authRequired',
  'allowQueryToken',
  'maxTokenLength',
  'realm',
  'errors',
  'cache',
  'timeoutDuration',
  'cooldownDuration',
  'cacheMaxAge',
  'agent',
  'env',
  'dpop',
] as const satisfies readonly (keyof RequireAuthOptions)[];

const DPOP_OPTIONS = [
  'mode',
  'algorithms',
  'iatOffset',
  'iatLeeway',
  'replayStore',
  'replayStoreTimeout',
  'retryAfter',
  'nonceSecret',
  'nonceStep',
  'publicBaseURL',
  'log',
] as const;

/** Values of every JavaScript type, and the near misses a configuration read from text produces. */
const anyValue = fc.oneof(
  fc.anything({
    maxDepth: 2,
    withBoxedValues: true,
    withNullPrototype: true,
    withMap: true,
    withSet: true,
    withDate: true,
    withTypedArray: true,
    withSparseArray: true,
    withBigInt: true,
  }),
  fc.constantFrom<unknown>('false', 'true', '0', '', 0, 1, NaN, null, {}, [], [undefined], Symbol('x')),
  fc.constantFrom<unknown>(new Boolean(false), new String('api'), new URL('https://x.test/'), () => false),
);

/** One app on port 0 whose `/probe` runs the middleware under test, swapped between runs. */
function swappableApp(express: ExpressFactory): {
  app: ReturnType<ExpressFactory>;
  use: (h: RequestHandler) => void;
} {
  let current: RequestHandler = (_req, _res, next) => next();
  const app = express();
  app.get(
    '/probe',
    (req, res, next) => current(req, res, next),
    (req, res) => {
      res.json({ anonymous: req.auth === undefined });
    },
  );
  // `errors: 'next'` hands refusals on; this writes them as the middleware would.
  app.use(authErrorHandler());
  return { app, use: (handler) => (current = handler) };
}

/** `requireAuth(options)`, or the TypeError it threw; any other throw fails the test. */
function attempt(options: unknown): RequestHandler | TypeError {
  try {
    return requireAuth(options as RequireAuthOptions);
  } catch (err) {
    expect(err).toBeInstanceOf(TypeError);
    return err as TypeError;
  }
}

describe.each(EXPRESS_VERSIONS)('requireAuth option types on %s', (_name, express) => {
  let server: Server;
  let use: (handler: RequestHandler) => void;

  beforeAll(async () => {
    const swappable = swappableApp(express);
    use = swappable.use;
    server = await listen(swappable.app);
  });
  afterAll(() => close(server));

  /** An accepted configuration: no credentials never pass (unless `authRequired` is exactly false). */
  async function expectNoAnonymousPass(handler: RequestHandler, options: Record<string, unknown>) {
    use(handler);
    const anonymous = await request(server).get('/probe');
    if (options.authRequired === false) {
      expect(anonymous.status).toBe(200);
    } else {
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error).toBe('unauthorized');
      expect(anonymous.headers['www-authenticate']).toMatch(/^(Bearer|DPoP) /);
    }
    const queryToken = await request(server).get('/probe?access_token=abc');
    expect(queryToken.status).toBe(options.allowQueryToken === true ? 401 : 400);
    expect(queryToken.type).toBe('application/json');
  }

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      "allowQueryToken: 'false'",
      { allowQueryToken: 'false' },
      /'allowQueryToken' must be true or false, got "false"/,
    ],
    ['authRequired: 0', { authRequired: 0 }, /'authRequired' must be true or false, got 0\./],
    ["authRequired: ''", { authRequired: '' }, /'authRequired' must be true or false, got ""/],
    ['authRequired: null', { authRequired: null }, /'authRequired' must be true or false, got null/],
    ['realm: 42', { realm: 42 }, /'realm' must be a string of printable ASCII/],
    ['realm: {}', { realm: {} }, /'realm' must be a string/],
    ['a realm with a line break', { realm: 'api\r\nX: y' }, /'realm' must be a string of printable ASCII/],
    ["strict: 'yes'", { strict: 'yes' }, /'strict' must be true or false/],
    // Infinity seconds of leeway would take every expired token.
    [
      'clockTolerance: Infinity',
      { clockTolerance: Infinity },
      /'clockTolerance' must be a finite number of seconds/,
    ],
    // No bound on a token's age, and a key refetch done once for the life of the process.
    ['maxTokenAge: Infinity', { maxTokenAge: Infinity }, /'maxTokenAge' must be a finite number of seconds/],
    [
      'cooldownDuration: Infinity',
      { cooldownDuration: Infinity },
      /'cooldownDuration' must be a finite number of ms/,
    ],
    ['agent: 42', { agent: 42 }, /'agent' must be an http.Agent or https.Agent/],
    ['agent: {}', { agent: {} }, /'agent' must be an http.Agent/],
    ['cache: true', { cache: true }, /'cache' must be false or an object/],
    ['cache: null', { cache: null }, /'cache' must be false or an object/],
    ['cache with an unknown key', { cache: { size: 5 } }, /unknown option\(s\) 'cache.size'/],
    ['env: null', { env: null }, /'env' must be an object of strings/],
    ['env: a string', { env: 'production' }, /'env' must be an object of strings/],
    ['env: a Map', { env: new Map() }, /'env' must be an object of strings/],
    [
      'an env variable that is no string',
      { env: { TOKEN_SIGNING_ALG: 256 } },
      /'env.TOKEN_SIGNING_ALG' must be a string/,
    ],
    ['algorithms: null', { algorithms: null }, /'algorithms' must be an array of strings/],
    [
      'algorithms with a hole',
      { algorithms: Object.assign(new Array<string>(2), { 1: 'RS256' }) },
      /'algorithms' must be an array of strings/,
    ],
    ['audience: null', { audience: null }, /'audience' must be a string or an array of strings/],
    ['audience: [42]', { audience: [42] }, /'audience' must be a string or an array of strings/],
    ['issuer: null', { issuer: null }, /'issuer' must be a string, got null/],
    ['issuerBaseURL: 0', { issuerBaseURL: 0 }, /'issuerBaseURL' must be a string, got 0/],
    [
      'resourceMetadata as a URL object',
      { resourceMetadata: new URL('https://api.test/m') },
      /'resourceMetadata' must be an absolute URL/,
    ],
    [
      'timeoutDuration beyond a timer',
      { timeoutDuration: 2 ** 31 },
      /'timeoutDuration' must be at most 2147483647/,
    ],
    ['dpop: []', { dpop: [] }, /'dpop' must be an object/],
    ['dpop.mode: null', { dpop: { mode: null } }, /'dpop.mode' must be off, allowed or required/],
    [
      'dpop.algorithms: null',
      { dpop: { algorithms: null } },
      /'dpop.algorithms' must be an array of strings/,
    ],
    ['dpop.log: 42', { dpop: { log: 42 } }, /'dpop.log' must be a function/],
    [
      'a nonceSecret that only looks long',
      { dpop: { nonceSecret: { byteLength: 64 } } },
      /'dpop.nonceSecret' must be a string or Uint8Array/,
    ],
    [
      'dpop.publicBaseURL as a URL object',
      { dpop: { publicBaseURL: new URL('https://api.test') } },
      /'dpop.publicBaseURL' must be a string/,
    ],
    [
      "dpop.nonceStep: '60' without a secret",
      { dpop: { nonceStep: '60' } },
      /'dpop.nonceStep' must be a number/,
    ],
    [
      'a bad option under mode off',
      { dpop: { mode: 'off', log: 'console' } },
      /'dpop.log' must be a function/,
    ],
  ])('throws at requireAuth() for %s, naming the option', (_label, options, message) => {
    const app = express();
    expect(() => app.get('/probe', requireAuth({ ...BASE, ...options } as RequireAuthOptions))).toThrow(
      TypeError,
    );
    expect(() => requireAuth({ ...BASE, ...options } as RequireAuthOptions)).toThrow(message);
  });

  it('takes cacheMaxAge: Infinity, which keeps the first keys for the life of the process', () => {
    expect(() => requireAuth({ ...BASE, cacheMaxAge: Infinity })).not.toThrow();
  });

  it('takes the same options given with their right types, and answers anonymous requests 401', async () => {
    const options = { strict: false, allowQueryToken: false, realm: 'say "hi" \\ api', cache: {} };
    await expectNoAnonymousPass(requireAuth({ ...BASE, ...options }), options);
    const res = await request(server).get('/probe');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="say \\"hi\\" \\\\ api"');
  });

  it('throws a TypeError naming the option, or answers no anonymous request with 200, whatever a requireAuth option holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...REQUIRE_AUTH_OPTIONS), anyValue, async (name, value) => {
        const options = { ...BASE, [name]: value };
        const outcome = attempt(options);
        if (outcome instanceof TypeError) expect(outcome.message).toContain(`'${name}`);
        else await expectNoAnonymousPass(outcome, options);
      }),
      { numRuns: 400 },
    );
  });

  it('does the same for every dpop option', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...DPOP_OPTIONS), anyValue, async (name, value) => {
        const options = { ...BASE, dpop: { [name]: value } };
        const outcome = attempt(options);
        if (outcome instanceof TypeError) expect(outcome.message).toContain(`'dpop.${name}'`);
        else await expectNoAnonymousPass(outcome, options);
      }),
      { numRuns: 250 },
    );
  });

  it('throws a TypeError for options that are not an object', () => {
    const notAnObject = anyValue.filter(
      (value) => value !== undefined && Object.prototype.toString.call(value) !== '[object Object]',
    );
    fc.assert(
      fc.property(notAnObject, (value) => {
        expect(() => requireAuth(value as RequireAuthOptions)).toThrow(
          new TypeError('@grantflow/express requireAuth(): its options must be an object.'),
        );
      }),
      { numRuns: 200 },
    );
  });
});
