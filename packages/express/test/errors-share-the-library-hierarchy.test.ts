import { describe, expect, it } from 'vitest';
import {
  AuthError,
  InsufficientScopeError,
  InvalidDpopProofError,
  InvalidRequestError,
  InvalidTokenError,
  ReplayStoreUnavailableError,
  UnauthorizedError,
  UseDpopNonceError,
} from '../src/index.js';

// express-oauth2-jwt-bearer's request, token and scope errors all extend its UnauthorizedError: handlers
// written for it test that class, and would answer ours 500 otherwise.
describe('the error classes, as express-oauth2-jwt-bearer arranges them', () => {
  it.each([
    ['InvalidRequestError', new InvalidRequestError('x'), 400],
    ['InvalidTokenError', new InvalidTokenError('x'), 401],
    ['InsufficientScopeError', new InsufficientScopeError('x', ['a']), 403],
    ['InvalidDpopProofError', new InvalidDpopProofError('x'), 401],
    ['UseDpopNonceError', new UseDpopNonceError('n'), 401],
  ])('%s is an UnauthorizedError and an AuthError, with its own status', (name, error, status) => {
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toBeInstanceOf(AuthError);
    expect([error.name, error.status, error.statusCode]).toEqual([name, status, status]);
  });

  it("keeps each class's own default message", () => {
    expect(new InvalidRequestError().message).toBe('Invalid Request');
    expect(new InvalidTokenError().message).toBe('Invalid Token');
    expect(new InvalidDpopProofError().message).toBe('Invalid DPoP proof');
    expect(new UnauthorizedError().message).toBe('Authentication required');
  });

  it('keeps a cause given to a subclass', () => {
    const cause = new Error('underneath');
    expect(new InvalidTokenError('x', { cause }).cause).toBe(cause);
  });

  it('the replay store being down is no authorization failure', () => {
    expect(new ReplayStoreUnavailableError(1)).not.toBeInstanceOf(UnauthorizedError);
  });

  it("InsufficientScopeError also takes the library's order, (scopes, message)", () => {
    const bare = new InsufficientScopeError(['admin']);
    expect([bare.scopes, bare.message]).toEqual([['admin'], 'Insufficient Scope']);
    const named = new InsufficientScopeError(['admin'], 'Admins only');
    expect([named.scopes, named.message]).toEqual([['admin'], 'Admins only']);
    expect(named.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="Admins only", scope="admin"',
    );
    const unnamed = new InsufficientScopeError(undefined, 'Admins only');
    expect([unnamed.scopes, unnamed.message]).toEqual([undefined, 'Admins only']);
    const ours = new InsufficientScopeError('Admins only', ['admin']);
    expect([ours.scopes, ours.message]).toEqual([['admin'], 'Admins only']);
  });
});
