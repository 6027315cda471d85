/**
 * Auth0's RBAC rule: of the API scopes an app asks for, a user gets those their permissions allow.
 * The rest are recorded as rejected so the consent prompt does not come back for them.
 */
export function partitionByPermissions(
  requested: readonly string[],
  permissions: readonly string[],
): { granted: string[]; rejected: string[] } {
  const allowed = new Set(permissions);
  const unique = [...new Set(requested)];
  return {
    granted: unique.filter((scope) => allowed.has(scope)),
    rejected: unique.filter((scope) => !allowed.has(scope)),
  };
}

/**
 * The API an authorization request targets: RFC 8707 `resource` wins, Auth0's `audience` is the
 * fallback, and without either the access token is only good for userinfo (as with Auth0).
 */
export function requestedAudience(params: Record<string, unknown>): string | undefined {
  const { resource, audience } = params;
  if (resource !== undefined) return undefined;
  return typeof audience === 'string' && audience !== '' ? audience : undefined;
}
