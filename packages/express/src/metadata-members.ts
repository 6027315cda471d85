import { isOptionsObject, type Fail } from './option-checks.js';

/** A member's name and its value, as served. */
export type Member = [name: string, value: unknown];

const JSON_DATA =
  'must be JSON data (strings, finite numbers, booleans, null, arrays and plain objects of those)';

/** `{}` or `Object.create(null)`, from any realm; not a class instance, `Date`, `Map`, boxed value... */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isOptionsObject(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** What a value that is not JSON data is, for a message. */
function kind(value: unknown): string {
  if (value === undefined || typeof value === 'number') return String(value);
  if (typeof value !== 'object' || value === null) return `a ${typeof value}`;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor
    ?.name;
  return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object';
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const property = (key: string) => (IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

/**
 * A copy of `value` made of JSON data only, each property read once, so what is served is what was
 * checked (a getter could answer twice). `path` locates `value` in the member, for messages;
 * `enclosing` holds the arrays and objects around it: meeting one again is a cycle.
 */
function jsonCopy(value: unknown, path: string, enclosing: readonly object[], fail: Fail): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const at = path === '' ? '' : ` (at ${path})`;
  if (typeof value === 'object' && enclosing.includes(value)) {
    fail(`contains itself${at}; JSON cannot hold a cycle.`);
  }
  if (Array.isArray(value)) {
    const inner = [...enclosing, value];
    // A hole would be served as null, a value nobody gave.
    return Array.from({ length: value.length }, (_, i) =>
      i in value
        ? jsonCopy(value[i], `${path}[${i}]`, inner, fail)
        : fail(`${JSON_DATA}, got a hole (at ${path}[${i}]).`),
    );
  }
  if (isPlainObject(value)) {
    const inner = [...enclosing, value];
    return Object.fromEntries(
      Object.keys(value).map((key) => [key, jsonCopy(value[key], `${path}${property(key)}`, inner, fail)]),
    );
  }
  return fail(`${JSON_DATA}, got ${kind(value)}${at}.`);
}

/**
 * The `additionalMetadata` members (RFC 9728 §2: "Additional protected resource metadata parameters
 * MAY also be used"), copied, under the names given. `reserved` maps each member name an option
 * serves to that option: the option is checked, the member would not be.
 */
export function additionalMembers(
  value: unknown,
  reserved: ReadonlyMap<string, string>,
  fail: Fail,
): Member[] {
  if (!isPlainObject(value)) fail("'additionalMetadata' must be a plain object of metadata members.");
  return Object.keys(value).map((name): Member => {
    const option = reserved.get(name);
    if (option !== undefined)
      fail(`'additionalMetadata' may not carry "${name}": use the '${option}' option.`);
    const failMember: Fail = (problem) =>
      fail(`'additionalMetadata' member ${JSON.stringify(name)} ${problem}`);
    return [name, jsonCopy(value[name], '', [value], failMember)];
  });
}
