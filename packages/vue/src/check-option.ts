/**
 * Throws a TypeError naming `name` unless `value` is one of `kinds` ('a boolean or an object': typeof's
 * names, null and arrays apart), or undefined when optional. Options often come from env files, where
 * 'false' is truthy: a wrong one fails where it is given, not later as another behaviour.
 */
export function checkOption(name: string, value: unknown, kinds: string, optional = true): void {
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (!kinds.includes(kind) && !(optional && kind === 'undefined')) {
    throw new TypeError(`${name} must be ${kinds}, not ${kind}`);
  }
}
