/**
 * RFC 6749 §3.3: a scope is a list of space-delimited, case-sensitive strings. Shared with
 * `@grantflow/express`, so the browser and the API read a `scope` the same way; anything but a string
 * is no scope at all.
 */
export function parseScope(scope: unknown): string[] {
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
}

/**
 * The scope a request sends: every part's scopes in the order given, each once (the first occurrence
 * stays). Order means nothing to the server (RFC 6749 §3.3), but the app's order is what it documented
 * and what people read in logs; comparisons and cache keys use `normalizeScope` instead.
 */
export function mergeScopes(...parts: readonly (string | readonly string[] | undefined)[]): string {
  return [...new Set(parts.flat().flatMap(parseScope))].join(' ');
}
