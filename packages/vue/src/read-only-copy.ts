import { toRaw } from 'vue';

/** An array or a plain object (what JSON makes): the data a user or its claims hold. */
function isPlainData(value: unknown): value is object {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A frozen copy of the plain data in `value`, read through Vue proxies (`toRaw`), as the core freezes
 * a session's: a view cannot write into it, and the test's own object stays its own to change. Other
 * values (functions, URLs, dates, class instances) are kept as they are, neither copied nor frozen.
 * Not `structuredClone`, which throws on a Vue proxy and on a function.
 */
export function readOnlyCopy<T>(value: T, copies = new Map<object, unknown>()): T {
  const raw = toRaw(value);
  if (!isPlainData(raw)) return raw;
  if (copies.has(raw)) return copies.get(raw) as T;
  const copy: Record<string, unknown> = Array.isArray(raw) ? [] : Object.create(Object.getPrototypeOf(raw));
  copies.set(raw, copy);
  for (const [key, member] of Object.entries(raw)) copy[key] = readOnlyCopy(member, copies);
  return Object.freeze(copy) as T;
}
