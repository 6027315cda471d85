import { invalidConfig } from './errors.js';
import type { DevIdpOptions } from './types.js';

/**
 * Throws `invalid_config` unless `value` has the shape; `at` names it in the message
 * (`clients[0].redirectUris`). `undefined` never reaches a shape: it counts as not given.
 */
type Shape = (value: unknown, at: string) => void;

/** A short, always printable account of a wrong value (`JSON.stringify` throws on a BigInt). */
function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object') return `a ${typeof value}`;
  const tag = Object.prototype.toString.call(value).slice('[object '.length, -1);
  return tag === 'Object' ? 'an object' : `a ${tag}`;
}

function leaf(what: string, test: (value: unknown) => boolean): Shape {
  return (value, at) => {
    if (!test(value)) throw invalidConfig(`${at} must be ${what}, got ${describe(value)}`);
  };
}

/** A record of keys: not an array, a Date, a Map or a boxed string (tags hold across realms; prototypes do not). */
const isObject = (value: unknown): value is Record<string, unknown> =>
  Object.prototype.toString.call(value) === '[object Object]';

const text = leaf('a string', (value) => typeof value === 'string');
const flag = leaf('a boolean', (value) => typeof value === 'boolean');
const number = leaf('a number', (value) => typeof value === 'number');
const fn = leaf('a function', (value) => typeof value === 'function');
// A blank path made a folder named ' ' (or failed at mkdir ''), a NUL one a raw TypeError from fs.
const folder = leaf(
  'a folder path (not blank, no NUL)',
  (value) => typeof value === 'string' && value.trim() !== '' && !value.includes('\0'),
);
const applicationType = leaf(`'web' or 'native'`, (value) => value === 'web' || value === 'native');
const object = leaf('an object', isObject);
const array = leaf('an array', Array.isArray);

function listOf(item: Shape): Shape {
  return (value, at) => {
    array(value, at);
    // An index loop, not forEach: a hole (`[, x]`) is an entry of the wrong type, not one to skip.
    const list = value as unknown[];
    for (let index = 0; index < list.length; index++) item(list[index], `${at}[${index}]`);
  };
}

function mapOf(entry: Shape): Shape {
  return (value, at) => {
    object(value, at);
    for (const [key, item] of Object.entries(value as object)) entry(item, `${at}[${JSON.stringify(key)}]`);
  };
}

/** Edit distance, for "did you mean": only between names whose lengths are close, so it stays cheap. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const replace = (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      next.push(Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, replace));
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

function suggestion(key: string, known: readonly string[]): string {
  const near = known.find(
    (name) => Math.abs(name.length - key.length) <= 2 && distance(name.toLowerCase(), key.toLowerCase()) <= 2,
  );
  return near === undefined ? '' : ` (did you mean ${near}?)`;
}

/** A record of known fields; `required` ones must be given, any other key is refused. */
function record(required: Record<string, Shape>, optional: Record<string, Shape> = {}): Shape {
  const fields: Record<string, Shape> = { ...required, ...optional };
  const known = Object.keys(fields);
  return (value, at) => {
    object(value, at);
    const given = value as Record<string, unknown>;
    const field = (key: string) => (at === '' ? key : `${at}.${key}`);
    for (const key of Object.keys(given)) {
      if (!Object.hasOwn(fields, key))
        throw invalidConfig(`${field(key)} is not an option${suggestion(key, known)}`);
    }
    for (const key of known) {
      if (given[key] !== undefined) fields[key]?.(given[key], field(key));
      else if (Object.hasOwn(required, key)) throw invalidConfig(`${field(key)} is required`);
    }
  };
}

const texts = listOf(text);

const CLIENT = record(
  { clientId: text, redirectUris: texts },
  {
    applicationType,
    postLogoutRedirectUris: texts,
    skipConsent: flag,
    dpopRequired: flag,
    initiateLoginUri: text,
  },
);
const USER = record(
  { sub: text, email: text, password: text, name: text, permissions: texts },
  { roles: texts },
);
const ORGANIZATION = record(
  { id: text, name: text, members: texts },
  { invitations: listOf(record({ id: text, email: text })) },
);
const API = record({ scopes: texts }, { scopeDescriptions: mapOf(text), accessTokenTtl: number });

/** Every option of the README's table; the values' ranges and URLs are checked where they are resolved. */
const OPTIONS = record(
  {},
  {
    port: number,
    issuer: text,
    clients: listOf(CLIENT),
    redirectUris: texts,
    dpopRequired: flag,
    postLogoutRedirectUris: texts,
    initiateLoginUri: text,
    requirePushedAuthorizationRequests: flag,
    corsOrigins: texts,
    apis: mapOf(API),
    accessTokenTtl: number,
    idTokenTtl: number,
    refreshTokenTtl: number,
    users: listOf(USER),
    persistDir: folder,
    dpopNonces: flag,
    organizations: listOf(ORGANIZATION),
    customizeTokens: fn,
    quiet: flag,
  },
);

/**
 * The options as given, refused with `invalid_config` unless each is of its documented type: a wrong
 * one would otherwise fail as a raw TypeError, or not at all (`startDevIdp(0)` listened on port 4000).
 */
export function checkOptions(options: unknown): DevIdpOptions {
  if (!isObject(options)) throw invalidConfig(`the options must be an object, got ${describe(options)}`);
  OPTIONS(options, '');
  return options as DevIdpOptions;
}
