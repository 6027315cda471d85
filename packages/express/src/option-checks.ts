/**
 * Type checks shared by every factory that takes options. Each throws through the caller's `fail`
 * (a `TypeError` prefixed with the factory's name), so a misconfigured API fails at start-up, not
 * with a 500 or a wrongly admitted request later.
 */
export type Fail = (message: string) => never;

export const failer =
  (caller: string): Fail =>
  (message) => {
    throw new TypeError(`@grantflow/express ${caller}: ${message}`);
  };

/**
 * An options bag: an object literal or class instance, not `null`, an array, a `Map`, a `URL`...
 * (the tag test works across realms, unlike a prototype comparison).
 */
export function isOptionsObject(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && Object.prototype.toString.call(value) === '[object Object]'
  );
}

/**
 * `value` as an options object whose keys are all in `known`; `undefined` stays `undefined`. `name`
 * is the option holding it, `undefined` for a factory's own options.
 */
export function optionsObject<T extends object>(
  value: T | undefined,
  name: string | undefined,
  known: ReadonlySet<string>,
  fail: Fail,
): T | undefined {
  if (value === undefined) return undefined;
  if (!isOptionsObject(value))
    fail(name === undefined ? 'its options must be an object.' : `'${name}' must be an object.`);
  const unknown = Object.keys(value).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    const names = unknown.map((key) => `'${name === undefined ? key : `${name}.${key}`}'`);
    fail(`unknown option(s) ${names.join(', ')}.`);
  }
  return value;
}

export function optionalBoolean(value: unknown, fallback: boolean, name: string, fail: Fail): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(`'${name}' must be true or false, got ${describe(value)}.`);
  return value as boolean;
}

export function optionalString(value: unknown, name: string, fail: Fail): string | undefined {
  if (value !== undefined && typeof value !== 'string')
    fail(`'${name}' must be a string, got ${describe(value)}.`);
  return value as string | undefined;
}

export function optionalFunction<T extends (...args: never[]) => unknown>(
  value: T | undefined,
  name: string,
  fail: Fail,
): T | undefined {
  if (value !== undefined && typeof value !== 'function') fail(`'${name}' must be a function.`);
  return value;
}

/** An array of strings; holes (`[, 'a']`), which `some` and `filter` skip, are refused too. */
export function isStringArray(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return false;
  return true;
}

export function stringArray(value: unknown, name: string, fail: Fail): string[] {
  if (!isStringArray(value)) fail(`'${name}' must be an array of strings.`);
  return value as string[];
}

export function absoluteUrl(value: unknown, name: string, fail: Fail): string {
  if (typeof value !== 'string' || !URL.canParse(value)) {
    fail(`'${name}' must be an absolute URL, got ${describe(value)}.`);
  }
  return value as string;
}

/**
 * A non-negative number of `unit`s, and finite: `Infinity` would switch a check or a refresh off for
 * good, unless `infinite` says that is what it means for this option.
 */
export function duration(
  value: number | undefined,
  fallback: number,
  name: string,
  fail: Fail,
  unit: 'seconds' | 'ms',
  infinite = false,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    fail(`'${name}' must be a non-negative number.`);
  }
  if (value === Infinity && !infinite) fail(`'${name}' must be a finite number of ${unit}.`);
  return value;
}

/** Longest delay a Node timer takes: a longer one fires after 1 ms instead. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function integer(
  value: number | undefined,
  fallback: number,
  name: string,
  fail: Fail,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) fail(`'${name}' must be a positive integer.`);
  if (value > max) fail(`'${name}' must be at most ${max}.`);
  return value;
}

/** What a value is, for a message: strings quoted, objects by kind. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return ['function', 'symbol', 'bigint'].includes(typeof value) ? `a ${typeof value}` : String(value);
}
