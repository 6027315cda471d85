/**
 * Freezes `value` and every object it holds. The snapshot hands the session's own objects to the app
 * (and each framework binding), so a write there would otherwise change what the client believes.
 * Primitives and `null` count as frozen, so the one check stops there as well as at what is done.
 */
export function deepFreeze<T>(value: T): T {
  if (!Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value as object)) deepFreeze(member);
  }
  return value;
}
