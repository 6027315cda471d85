import type { RequestHandler } from 'express';
import type { AuthResult, JWTPayload } from 'express-oauth2-jwt-bearer';
import { parseScope } from '@grantflow/core/scope';
import { parsePermissions, scopesIn } from './auth-result.js';
import { InsufficientScopeError, UnauthorizedError, type AuthError } from './errors.js';
import { refuse } from './respond.js';

export type JSONPrimitive = string | number | boolean | null;

// RFC 6749 §3.3 scope-token.
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * What the scope and permission guards take: the scopes as arguments, or one array of them (as
 * express-oauth2-jwt-bearer's `requiredScopes` takes them). Each string may hold several, separated
 * by spaces as in a `scope` (`'read:a write:a'`).
 */
export type ScopeArguments = string[] | [scopes: readonly string[]];

function scopeList(name: string, args: ScopeArguments): readonly string[] {
  const values: readonly unknown[] = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  const strings = values.every((v) => typeof v === 'string') ? (values as string[]) : [];
  const scopes = strings.flatMap(parseScope);
  if (scopes.length === 0 || !scopes.every((scope) => SCOPE_TOKEN.test(scope))) {
    throw new TypeError(
      `${name}() needs one or more scopes: strings of scope tokens separated by spaces (no quotes or backslashes), or one array of them.`,
    );
  }
  return Object.freeze(scopes);
}

function claimName(name: string, claim: unknown): string {
  if (typeof claim !== 'string' || claim === '') throw new TypeError(`${name}() needs a claim name.`);
  return claim;
}

// NaN and ±Infinity are numbers but not JSON ones: no claim could ever equal them.
function primitive(name: string, value: unknown): JSONPrimitive {
  const json =
    typeof value === 'number' ? Number.isFinite(value) : ['string', 'boolean'].includes(typeof value);
  if (value !== null && !json) {
    throw new TypeError(`${name}() compares JSON primitives (string, number, boolean, null).`);
  }
  return value as JSONPrimitive;
}

// `req.auth` set by express-oauth2-jwt-bearer's own `auth()` has no parsed lists; parse them then.
const scopesOf = (auth: AuthResult): readonly string[] => auth.scopes ?? scopesIn(auth.payload);
const permissionsOf = (auth: AuthResult): readonly string[] =>
  auth.permissions ?? parsePermissions(auth.payload.permissions);

/** A route guard over `req.auth`: no `req.auth` is 401; a failed check is the returned error (403). */
function guard(check: (auth: AuthResult) => AuthError | undefined): RequestHandler {
  return (req, res, next) => {
    const { auth } = req;
    if (!auth) return refuse(req, res, next, new UnauthorizedError());
    const err = check(auth);
    if (err) refuse(req, res, next, err);
    else next();
  };
}

/** A guard over a list of grants: all of `values` (`every`) or at least one (`some`). */
function grantsGuard(
  name: string,
  values: ScopeArguments,
  grantsOf: (auth: AuthResult) => readonly string[],
  match: 'every' | 'some',
  description: string,
): RequestHandler {
  const needed = scopeList(name, values);
  return guard((auth) => {
    const granted = grantsOf(auth);
    return needed[match]((v) => granted.includes(v))
      ? undefined
      : new InsufficientScopeError(description, needed);
  });
}

/**
 * Requires every listed scope in the token's `scope` claim (else `scp`): `requireScopes('a', 'b')`,
 * `requireScopes('a b')` and `requireScopes(['a', 'b'])` are the same guard.
 */
export function requireScopes(...scopes: ScopeArguments): RequestHandler {
  return grantsGuard('requireScopes', scopes, scopesOf, 'every', 'Insufficient scope');
}

/** Requires at least one of the listed scopes (given as `requireScopes` takes them). */
export function requireAnyScope(...scopes: ScopeArguments): RequestHandler {
  return grantsGuard('requireAnyScope', scopes, scopesOf, 'some', 'Requires one of the listed scopes');
}

/** Requires every listed entry in the Auth0 RBAC `permissions` claim (given as `requireScopes` takes them). */
export function requirePermissions(...permissions: ScopeArguments): RequestHandler {
  return grantsGuard('requirePermissions', permissions, permissionsOf, 'every', 'Insufficient permissions');
}

/** Requires `payload[claim] === expected`. */
export function claimEquals(claim: string, expected: JSONPrimitive): RequestHandler {
  const name = claimName('claimEquals', claim);
  primitive('claimEquals', expected);
  return guard(({ payload }) =>
    payload[name] === expected ? undefined : new InsufficientScopeError(`Unexpected '${name}' value`),
  );
}

/** Requires the claim (an array, or a space-separated string) to contain every expected value. */
export function claimIncludes(claim: string, ...expected: JSONPrimitive[]): RequestHandler {
  const name = claimName('claimIncludes', claim);
  if (expected.length === 0) throw new TypeError('claimIncludes() needs at least one expected value.');
  expected.forEach((value) => primitive('claimIncludes', value));
  return guard(({ payload }) => {
    const value = payload[name];
    const actual: readonly unknown[] =
      typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : [];
    return expected.every((e) => actual.includes(e))
      ? undefined
      : new InsufficientScopeError(`Unexpected '${name}' value`);
  });
}

/** Requires `check(payload)` to return true; `description` is what the client is told otherwise. */
export function claimCheck(
  check: (payload: JWTPayload, auth: AuthResult) => boolean,
  description = 'Token claims do not allow this request',
): RequestHandler {
  if (typeof check !== 'function') throw new TypeError('claimCheck() needs a function.');
  // It becomes the refusal's `error_description`, which is text.
  if (typeof description !== 'string') throw new TypeError('claimCheck() takes a string description.');
  return guard((auth) => (check(auth.payload, auth) ? undefined : new InsufficientScopeError(description)));
}
