/**
 * Bad arguments are `TypeError`s naming the argument (errors.ts), thrown before anything starts: a
 * wrong value taken as it is hangs (a lock path that cannot exist), listens elsewhere (a port glued
 * onto a path) or fires at once (a timeout setTimeout cannot hold).
 */

/** A test of one argument, and what it expects, for the message. */
export type Rule = readonly [test: (value: unknown) => boolean, expected: string];

/** setTimeout's longest delay: a longer one fires at once. */
export const MAX_DELAY = 2 ** 31 - 1;

const isNumber = (value: unknown): value is number => typeof value === 'number' && !Number.isNaN(value);

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const TEXT: Rule = [(value) => typeof value === 'string' && value !== '', 'a non-empty string'];
export const FUNCTION: Rule = [(value) => typeof value === 'function', 'a function'];
export const BOOLEAN: Rule = [(value) => typeof value === 'boolean', 'true or false'];
export const OBJECT: Rule = [isRecord, 'an object'];
export const PORT: Rule = [
  (value) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535,
  'a port number (0 to 65535)',
];
/** Milliseconds that may be `Infinity` (never). */
export const MILLISECONDS: Rule = [(value) => isNumber(value) && value >= 0, 'milliseconds (a number >= 0)'];
/** Milliseconds a timer waits. */
export const DELAY: Rule = [
  (value) => isNumber(value) && value >= 0 && value <= MAX_DELAY,
  `milliseconds (0 to ${MAX_DELAY})`,
];
export const TIMEOUT: Rule = [
  (value) => isNumber(value) && value > 0 && value <= MAX_DELAY,
  `milliseconds (1 to ${MAX_DELAY})`,
];

export function checkArgument(value: unknown, name: string, [test, expected]: Rule): void {
  if (!test(value)) throw new TypeError(`${name} must be ${expected}`);
}

/** Checks each option `rules` names that is set: `undefined` stands for the default. */
export function checkOptions(options: unknown, rules: Readonly<Record<string, Rule>>, name = 'options') {
  if (options === undefined) return;
  checkArgument(options, name, OBJECT);
  for (const [option, rule] of Object.entries(rules)) {
    const value = (options as Record<string, unknown>)[option];
    if (value !== undefined) checkArgument(value, option, rule);
  }
}
