import type { Grant, KoaContextWithOIDC } from 'oidc-provider';
import { partitionByPermissions } from './scopes.js';

export interface RequestedScopes {
  oidcScopes: readonly string[];
  oidcClaims: readonly string[];
  /** API scopes per resource indicator (audience). */
  resourceScopes: Readonly<Record<string, readonly string[]>>;
}

/** Records consent: OpenID scopes as asked, API scopes narrowed to what the user is permitted. */
export function applyRequestedScopes(
  grant: Grant,
  requested: RequestedScopes,
  permissions: readonly string[],
): void {
  if (requested.oidcScopes.length > 0) grant.addOIDCScope(requested.oidcScopes.join(' '));
  if (requested.oidcClaims.length > 0) grant.addOIDCClaims([...requested.oidcClaims]);
  for (const [indicator, scopes] of Object.entries(requested.resourceScopes)) {
    const { granted, rejected } = partitionByPermissions(scopes, permissions);
    if (granted.length > 0) grant.addResourceScope(indicator, granted.join(' '));
    if (rejected.length > 0) grant.rejectResourceScope(indicator, rejected.join(' '));
  }
}

/** What the current authorization request asks for, read from oidc-provider's request context. */
export function requestedInContext(ctx: KoaContextWithOIDC): RequestedScopes {
  const { oidc } = ctx;
  const requestedScopes = [...oidc.requestParamScopes];
  const resourceScopes: Record<string, string[]> = {};
  for (const [indicator, server] of Object.entries(oidc.resourceServers ?? {})) {
    resourceScopes[indicator] = requestedScopes.filter((scope) => server.scopes.has(scope));
  }
  return {
    oidcScopes: [...oidc.requestParamOIDCScopes],
    oidcClaims: [...oidc.requestParamClaims],
    resourceScopes,
  };
}
