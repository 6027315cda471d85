import { parseScope } from '@grantflow/core/scope';
import type { AuthResult, JWTPayload } from 'express-oauth2-jwt-bearer';

// `req.auth` is declared by express-oauth2-jwt-bearer (payload, header, token); we add the parsed
// grants to that same interface, so apps that also use the library directly see one consistent type.
declare module 'express-oauth2-jwt-bearer' {
  interface AuthResult {
    /**
     * The `scope` claim (else `scp`, Okta's and Entra's), split on spaces (or, leniently, its strings when
     * it is an array).
     */
    readonly scopes: readonly string[];
    /** The Auth0 RBAC `permissions` claim (strings only). */
    readonly permissions: readonly string[];
  }
}

export type { AuthResult, JWTPayload };
export type { JWTHeader } from 'express-oauth2-jwt-bearer';

/** The Auth0 RBAC `permissions` claim, strings only. */
export function parsePermissions(permissions: unknown): string[] {
  return Array.isArray(permissions) ? permissions.filter((p): p is string => typeof p === 'string') : [];
}

/**
 * The `scope` claim as a set of scopes. RFC 9068 §2.2.3 makes it a space-separated string; some
 * issuers send a JSON array instead, which express-oauth2-jwt-bearer accepts, so its strings count too.
 */
export function parseScopeClaim(scope: unknown): string[] {
  return Array.isArray(scope) ? parsePermissions(scope).filter(Boolean) : parseScope(scope);
}

/**
 * The token's scopes: RFC 9068's `scope`, else `scp`, where Okta (an array) and Microsoft Entra ID (a
 * space-separated string) put them, as Spring Security's resource server also reads them.
 */
export const scopesIn = (payload: JWTPayload): string[] => parseScopeClaim(payload.scope ?? payload.scp);

/**
 * Freezes a result the cache is about to share between requests. Only then: freezing costs about as
 * much as the rest of our miss path, and a result seen by one request needs no protection.
 */
export function deepFreeze<T extends object>(value: T): T {
  Object.freeze(value);
  // for-in rather than Object.values: no array allocated per object on the verification path.
  for (const key in value) {
    const member: unknown = value[key];
    if (typeof member === 'object' && member !== null && !Object.isFrozen(member)) deepFreeze(member);
  }
  return value;
}

/** The verified result with grants parsed. */
export function toAuthResult(verified: Pick<AuthResult, 'payload' | 'header' | 'token'>): AuthResult {
  const { payload, header, token } = verified;
  return {
    payload,
    header,
    token,
    scopes: scopesIn(payload),
    permissions: parsePermissions(payload.permissions),
  };
}
