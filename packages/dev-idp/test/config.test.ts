import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig, resolveIssuer } from '../src/config.js';
import { optionsFromEnv, parseList, withEnvironment } from '../src/env-options.js';
import {
  APPOINTMENT_SCOPE_DESCRIPTIONS,
  APPOINTMENT_SCOPES,
  DEFAULT_AUDIENCE,
  DEFAULT_CLI_CLIENT_ID,
  DEFAULT_CLIENT_ID,
  DEMO_USERS,
  DevIdpError,
} from '../src/index.js';

function configError(run: () => unknown): DevIdpError {
  try {
    run();
  } catch (error) {
    if (error instanceof DevIdpError) return error;
    throw error;
  }
  throw new Error('expected a DevIdpError');
}

describe('optionsFromEnv', () => {
  it('reads every documented variable', () => {
    expect(
      optionsFromEnv({
        PORT: '4100',
        ISSUER: 'http://localhost:4100/',
        CORS_ORIGINS: 'http://localhost:5173, http://127.0.0.1:5173',
        REDIRECT_URIS: 'http://localhost:5173/a,http://localhost:5173/b',
        POST_LOGOUT_REDIRECT_URIS: 'http://localhost:5173/bye',
        ACCESS_TOKEN_TTL: '30',
        ID_TOKEN_TTL: '40',
        REFRESH_TOKEN_TTL: '50',
      }),
    ).toEqual({
      port: 4100,
      issuer: 'http://localhost:4100/',
      corsOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
      redirectUris: ['http://localhost:5173/a', 'http://localhost:5173/b'],
      postLogoutRedirectUris: ['http://localhost:5173/bye'],
      accessTokenTtl: 30,
      idTokenTtl: 40,
      refreshTokenTtl: 50,
    });
  });

  it("takes pnpm dev's IDP_PORT over PORT, and allows the demo's origin from DEMO_PORT", () => {
    expect(optionsFromEnv({ PORT: '3001', IDP_PORT: '4100', DEMO_PORT: '5200' })).toEqual({
      port: 4100,
      corsOrigins: ['http://localhost:5200'],
      redirectUris: ['http://localhost:5200/callback', 'http://localhost:5200/', 'http://localhost:5200'],
      postLogoutRedirectUris: ['http://localhost:5200/', 'http://localhost:5200'],
      initiateLoginUri: 'http://localhost:5200/login',
    });
    expect(
      optionsFromEnv({
        DEMO_PORT: '5200',
        CORS_ORIGINS: 'http://app.test',
        REDIRECT_URIS: 'http://app.test/cb',
      }),
    ).toMatchObject({
      // The demo's own stay: these variables name other origins (apps/demo README), beside it.
      corsOrigins: ['http://localhost:5200', 'http://app.test'],
      redirectUris: [
        'http://localhost:5200/callback',
        'http://localhost:5200/',
        'http://localhost:5200',
        'http://app.test/cb',
      ],
      postLogoutRedirectUris: ['http://localhost:5200/', 'http://localhost:5200'],
    });
  });

  it('leaves out unset and blank variables so defaults apply', () => {
    expect(optionsFromEnv({ PORT: '', ISSUER: '   ', UNRELATED: 'x' })).toEqual({});
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '-1'],
    ['IDP_PORT', 'x'],
    ['DEMO_PORT', '0'],
    ['ACCESS_TOKEN_TTL', '0'],
    ['REFRESH_TOKEN_TTL', '1.5'],
    ['ID_TOKEN_TTL', '1e3'],
  ])('refuses %s=%s with invalid_config', (name, value) => {
    const error = configError(() => optionsFromEnv({ [name]: value }));
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain(name);
  });

  it('reads no variable whose option is given, so a bad one there does not matter', () => {
    const env = {
      PORT: 'abc',
      IDP_PORT: 'x',
      ISSUER: 'http://localhost:4000',
      CORS_ORIGINS: 'http://env.test',
      ACCESS_TOKEN_TTL: '0',
      DPOP_NONCES: 'maybe',
      REFRESH_TOKEN_TTL: '50',
    };
    const given = { port: 0, corsOrigins: ['http://app.test'], accessTokenTtl: 30, dpopNonces: false };
    expect(optionsFromEnv(env, given)).toEqual({ refreshTokenTtl: 50 });
  });

  it('reads ISSUER only when neither issuer nor port is given, since it names a port', () => {
    const env = { ISSUER: 'http://localhost:4000', IDP_PORT: '4100' };
    expect(optionsFromEnv(env)).toEqual({ port: 4100, issuer: 'http://localhost:4000' });
    expect(optionsFromEnv(env, { port: 0 })).toEqual({});
    expect(optionsFromEnv(env, { issuer: 'http://idp.test/' })).toEqual({ port: 4100 });
  });

  it('reads DEMO_PORT unless every option it sets is given', () => {
    const demo = {
      corsOrigins: ['http://app.test'],
      redirectUris: ['http://app.test/cb'],
      postLogoutRedirectUris: ['http://app.test/'],
    };
    expect(optionsFromEnv({ DEMO_PORT: '5200' }, demo)).toEqual({
      initiateLoginUri: 'http://localhost:5200/login',
      corsOrigins: ['http://localhost:5200'],
      redirectUris: ['http://localhost:5200/callback', 'http://localhost:5200/', 'http://localhost:5200'],
      postLogoutRedirectUris: ['http://localhost:5200/', 'http://localhost:5200'],
    });
    const all = { ...demo, initiateLoginUri: 'http://app.test/login' };
    expect(optionsFromEnv({ DEMO_PORT: 'abc' }, all)).toEqual({});
  });

  it('parses any non-negative integer PORT and nothing else', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const trimmed = value.trim();
        const valid = /^\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed));
        if (trimmed === '') {
          expect(optionsFromEnv({ PORT: value })).toEqual({});
        } else if (valid) {
          expect(optionsFromEnv({ PORT: value }).port).toBe(Number(trimmed));
        } else {
          expect(() => optionsFromEnv({ PORT: value })).toThrow(DevIdpError);
        }
      }),
    );
  });
});

describe('withEnvironment', () => {
  it('takes the options given over the environment, and the environment for the others', () => {
    const env = { ISSUER: 'http://localhost:4000', PORT: 'abc', ID_TOKEN_TTL: '40' };
    expect(withEnvironment({ port: 0, quiet: true }, env)).toEqual({ port: 0, quiet: true, idTokenTtl: 40 });
  });

  it('counts an option set to undefined as not given', () => {
    expect(
      withEnvironment({ port: undefined, idTokenTtl: undefined }, { PORT: '4100', ID_TOKEN_TTL: '40' }),
    ).toEqual({
      port: 4100,
      idTokenTtl: 40,
    });
  });
});

describe('parseList', () => {
  it('splits on commas and whitespace and drops empty entries', () => {
    expect(parseList(' a, b ,,c  d\n')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('never returns empty or separator-carrying items', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        for (const item of parseList(value)) {
          expect(item).not.toBe('');
          expect(item).not.toMatch(/[\s,]/);
        }
      }),
    );
  });
});

describe('resolveIssuer', () => {
  it('defaults to localhost on the actual port, ending in a slash like an Auth0 issuer', () => {
    expect(resolveIssuer(undefined, 4123)).toBe('http://localhost:4123/');
  });

  it('ends a bare origin in exactly one slash so tokens carry one spelling, as Auth0 does', () => {
    expect(resolveIssuer('http://localhost:4000', 4000)).toBe('http://localhost:4000/');
    expect(resolveIssuer('http://localhost:4000//', 4000)).toBe('http://localhost:4000/');
  });

  it('keeps an issuer with a path exactly as given, where the trailing slash is part of it', () => {
    expect(resolveIssuer('https://idp.example.test/tenant', 0)).toBe('https://idp.example.test/tenant');
    expect(resolveIssuer('https://idp.example.test/tenant/', 0)).toBe('https://idp.example.test/tenant/');
    expect(resolveIssuer(' https://idp.example.test/tenant ', 0)).toBe('https://idp.example.test/tenant');
  });

  it.each([
    'localhost:4000',
    'ftp://idp.example.test',
    'http://localhost:4000/?a=1',
    'http://localhost/#x',
    'http://localhost:4000/tenant?',
    'http://localhost:4000/tenant#',
  ])('refuses %s', (issuer) => {
    expect(configError(() => resolveIssuer(issuer, 4000)).code).toBe('invalid_config');
  });
});

describe('resolveConfig', () => {
  it('defaults to the Auth0-like demo setup', () => {
    const config = resolveConfig();
    expect(config.port).toBe(4000);
    expect(config.issuer).toBeUndefined();
    expect(config.corsOrigins).toEqual(['http://localhost:5173']);
    expect(config.apis).toEqual({
      [DEFAULT_AUDIENCE]: {
        scopes: [...APPOINTMENT_SCOPES],
        scopeDescriptions: { ...APPOINTMENT_SCOPE_DESCRIPTIONS },
      },
    });
    expect(config.users).toEqual(DEMO_USERS);
    expect(config.clients).toEqual([
      {
        clientId: DEFAULT_CLIENT_ID,
        redirectUris: ['http://localhost:5173/callback', 'http://localhost:5173/', 'http://localhost:5173'],
        postLogoutRedirectUris: ['http://localhost:5173/', 'http://localhost:5173'],
        initiateLoginUri: 'http://localhost:5173/login',
      },
      {
        clientId: DEFAULT_CLI_CLIENT_ID,
        applicationType: 'native',
        redirectUris: ['http://127.0.0.1/callback', 'http://[::1]/callback'],
      },
    ]);
    expect(config.persistDir).toBeUndefined();
  });

  it('adds extra redirect URIs to the default client only, without duplicates', () => {
    const config = resolveConfig({
      clients: [
        { clientId: DEFAULT_CLIENT_ID, redirectUris: ['http://localhost:5173/callback'] },
        { clientId: 'other', redirectUris: ['http://localhost:8080/cb'] },
      ],
      redirectUris: ['http://127.0.0.1:9999/cb', 'http://localhost:5173/callback'],
      postLogoutRedirectUris: ['http://127.0.0.1:9999/'],
    });
    expect(config.clients[0]?.redirectUris).toEqual([
      'http://localhost:5173/callback',
      'http://127.0.0.1:9999/cb',
    ]);
    expect(config.clients[0]?.postLogoutRedirectUris).toEqual(['http://127.0.0.1:9999/']);
    expect(config.clients[1]?.redirectUris).toEqual(['http://localhost:8080/cb']);
  });

  it('normalises CORS origins to their origin form', () => {
    expect(resolveConfig({ corsOrigins: ['http://localhost:5173/'] }).corsOrigins).toEqual([
      'http://localhost:5173',
    ]);
  });

  it.each([
    ['a negative port', { port: -1 }],
    ['a non-URL redirect URI', { redirectUris: ['/callback'] }],
    ['a non-URL CORS origin', { corsOrigins: ['localhost:5173'] }],
    ['an API without scopes', { apis: { 'https://api.example.test': { scopes: [] } } }],
    ['an audience that is not a URL', { apis: { appointments: { scopes: ['read'] } } }],
    ['a zero access token TTL', { accessTokenTtl: 0 }],
    ['a fractional refresh token TTL', { refreshTokenTtl: 1.5 }],
    ['a client without redirect URIs', { clients: [{ clientId: 'x', redirectUris: [] }] }],
  ])('refuses %s', (_label, options) => {
    expect(configError(() => resolveConfig(options)).code).toBe('invalid_config');
  });
});
