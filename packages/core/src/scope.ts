/**
 * RFC 6749 §3.3: a scope is a list of space-delimited, case-sensitive strings. Shared with
 * `@grantflow/express`, so the browser and the API read a `scope` the same way; anything but a string
 * is no scope at all.
 */
export function parseScope(scope: unknown): string[] {
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
}
