import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { DEMO_USERS, DevIdpError, startDevIdp, type DevIdpOptions } from '../src/index.js';

// Every start here names port 0 or fails before listening: nothing may take the default port 4000.
async function refusal(options: Record<string, unknown>): Promise<DevIdpError> {
  try {
    const idp = await startDevIdp({ port: 0, quiet: true, ...options } as DevIdpOptions);
    await idp.close();
  } catch (error) {
    if (error instanceof DevIdpError) return error;
    throw error;
  }
  throw new Error('startDevIdp accepted the options');
}

// resolveConfig listens on nothing: options without a port are safe here.
function configRefusal(options: unknown): DevIdpError {
  try {
    resolveConfig(options);
  } catch (error) {
    if (error instanceof DevIdpError) return error;
    throw error;
  }
  throw new Error('resolveConfig accepted the options');
}

type Kind = 'number' | 'string' | 'boolean' | 'array' | 'object' | 'function';
/** `object` only for a record of keys: a Date, a Map or a boxed string is none. */
function kindOf(value: unknown): string {
  if (value === null || Array.isArray(value)) return value === null ? 'null' : 'array';
  const record = Object.prototype.toString.call(value) === '[object Object]';
  return typeof value === 'object' && !record ? 'another object' : typeof value;
}

/** Any value but `undefined` (an option not given) whose kind is not `kind`. */
const wrong = (kind: Kind) =>
  fc
    .oneof(
      fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withDate: true }),
      fc.func(fc.anything()),
      fc.constant(Symbol('s')),
    )
    .filter((value) => value !== undefined && kindOf(value) !== kind);

/** The README's option table, by the kind each option takes. */
const OPTION_KINDS: Record<Kind, string[]> = {
  number: ['port', 'accessTokenTtl', 'idTokenTtl', 'refreshTokenTtl'],
  string: ['issuer', 'initiateLoginUri', 'persistDir'],
  boolean: ['dpopRequired', 'requirePushedAuthorizationRequests', 'dpopNonces', 'quiet'],
  array: ['clients', 'redirectUris', 'postLogoutRedirectUris', 'corsOrigins', 'users', 'organizations'],
  object: ['apis'],
  function: ['customizeTokens'],
};
const OPTIONS = Object.entries(OPTION_KINDS).flatMap(([kind, keys]) =>
  keys.map((key) => [key, kind as Kind] as const),
);

const CLIENT = { clientId: 'app', redirectUris: ['http://app.test/cb'] };
const ORGANIZATION = { id: 'org_x', name: 'x', members: [] };
const API = { scopes: ['a'] };

/** Each nested record, a valid one, and the kind of each of its fields. */
const RECORDS: [string, Record<string, unknown>, Record<string, Kind>][] = [
  ['clients', CLIENT, { clientId: 'string', redirectUris: 'array', postLogoutRedirectUris: 'array' }],
  ['clients', CLIENT, { skipConsent: 'boolean', dpopRequired: 'boolean', initiateLoginUri: 'string' }],
  ['users', { ...DEMO_USERS[0] }, { sub: 'string', email: 'string', password: 'string' }],
  ['users', { ...DEMO_USERS[0] }, { name: 'string', permissions: 'array', roles: 'array' }],
  ['organizations', ORGANIZATION, { id: 'string', name: 'string', members: 'array', invitations: 'array' }],
];
const FIELDS = RECORDS.flatMap(([option, valid, kinds]) =>
  Object.entries(kinds).map(([field, kind]) => [option, field, kind, valid] as const),
);

describe('startDevIdp refuses options of the wrong shape with invalid_config', () => {
  it.each([
    [{ clients: 0 }, 'clients must be an array, got 0'],
    [{ corsOrigins: 0 }, 'corsOrigins must be an array'],
    [{ issuer: null }, 'issuer must be a string, got null'],
    [{ idTokenTtl: null }, 'idTokenTtl must be a number, got null'],
    [{ organizations: 0 }, 'organizations must be an array'],
    [{ redirectUris: 0 }, 'redirectUris must be an array'],
    [{ initiateLoginUri: 10n }, 'initiateLoginUri must be a string, got 10n'],
    [{ users: '' }, 'users must be an array, got ""'],
    [{ users: ['a'] }, 'users[0] must be an object, got "a"'],
    [{ users: [42] }, 'users[0] must be an object, got 42'],
    [{ apis: true }, 'apis must be an object, got true'],
    [{ apis: new Map() }, 'apis must be an object, got a Map'],
    [{ customizeTokens: 0 }, 'customizeTokens must be a function'],
    [{ dpopRequired: 'yes' }, 'dpopRequired must be a boolean'],
    [{ quiet: 1 }, 'quiet must be a boolean'],
    [{ dpopNonces: {} }, 'dpopNonces must be a boolean, got an object'],
    [{ dpopNonce: true }, 'dpopNonce is not an option (did you mean dpopNonces?)'],
    [{ bogus: 1 }, 'bogus is not an option'],
    [{ clients: [{ ...CLIENT, skipConsnet: true }] }, 'clients[0].skipConsnet is not an option (did you'],
    [{ clients: [{ ...CLIENT, applicationType: 'spa' }] }, `clients[0].applicationType must be 'web' or`],
    [{ clients: [{ redirectUris: ['http://app.test/cb'] }] }, 'clients[0].clientId is required'],
    [
      { organizations: [{ ...ORGANIZATION, invitations: [{ id: 'i' }] }] },
      'organizations[0].invitations[0].email is required',
    ],
    [
      { apis: { 'https://api.test': { ...API, accessTokenTtl: '60' } } },
      'apis["https://api.test"].accessTokenTtl must be a number, got "60"',
    ],
    [{ apis: { 'https://api.test': { ...API, scopeDescriptions: { a: 1 } } } }, '.scopeDescriptions["a"]'],
    [{ persistDir: '' }, 'persistDir must be a folder path (not blank, no NUL), got ""'],
    [{ persistDir: 'a\0b' }, 'persistDir must be a folder path'],
    [{ corsOrigins: ['http://app.test', 5173] }, 'corsOrigins[1] must be a string, got 5173'],
    // A hole is an entry of the wrong type, not one to skip.
    [
      { redirectUris: Object.assign(new Array(2), { 1: 'http://app.test/cb' }) },
      'redirectUris[0] must be a string, got undefined',
    ],
  ])('%o', async (options, message) => {
    const error = await refusal(options);
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain(message);
  });

  it.each(OPTIONS)('refuses %s of any other kind than %s', async (key, kind) => {
    await fc.assert(
      fc.asyncProperty(wrong(kind), async (value) => {
        const error = await refusal({ [key]: value });
        expect(error.message).toMatch(new RegExp(`^${key} must be `));
      }),
      { numRuns: 30 },
    );
  });

  it.each(FIELDS)('refuses %s[0].%s of any other kind than %s', (option, field, kind, valid) => {
    fc.assert(
      fc.property(wrong(kind), (value) => {
        const error = configRefusal({ [option]: [{ ...valid, [field]: value }] });
        expect(error.message.startsWith(`${option}[0].${field} must be `)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('refuses options that are not an object', () => {
    fc.assert(
      fc.property(
        fc
          .anything({ withBigInt: true, withBoxedValues: true, withMap: true, withDate: true })
          .filter((value) => kindOf(value) !== 'object'),
        (options) => {
          fc.pre(options !== undefined);
          expect(configRefusal(options).message).toMatch(/^the options must be an object, got /);
        },
      ),
    );
  });

  it('refuses any key that is not an option, and names it', () => {
    const known = OPTIONS.map(([key]) => key);
    fc.assert(
      fc.property(
        fc.string().filter((key) => !known.includes(key)),
        (key) => {
          const error = configRefusal({ [key]: 1 });
          expect(error.message.startsWith(`${key} is not an option`)).toBe(true);
        },
      ),
    );
  });
});
