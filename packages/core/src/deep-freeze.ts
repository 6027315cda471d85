/**
 * Freezes `value` and every object it holds. The snapshot hands the session's own objects to the app
 * (and each framework binding), so a write there would otherwise change what the client believes.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
