import { describe, expectTypeOf, it } from 'vitest';
import {
  createAuthFetch,
  parseWwwAuthenticate,
  type AuthClient,
  type AuthClientOptions,
  type AuthSnapshot,
  type Challenge,
  type GrantflowError,
  type GrantflowErrorCode,
} from '../src/index.js';

describe('types', () => {
  it('error codes are a literal union that a switch narrows', () => {
    expectTypeOf<GrantflowError['code']>().toEqualTypeOf<GrantflowErrorCode>();
    expectTypeOf<'login_required'>().toExtend<GrantflowErrorCode>();
    expectTypeOf<'storage_error'>().toExtend<GrantflowErrorCode>();
    expectTypeOf<'no_such_code'>().not.toExtend<GrantflowErrorCode>();
  });

  it('the snapshot carries an error beside a session', () => {
    expectTypeOf<AuthSnapshot['error']>().toEqualTypeOf<GrantflowError | undefined>();
    expectTypeOf<AuthSnapshot['isAuthenticated']>().toEqualTypeOf<boolean>();
  });

  it('the environment is optional, member by member', () => {
    expectTypeOf<{ locks: undefined }>().toExtend<AuthClientOptions['environment']>();
    expectTypeOf<Record<string, never>>().toExtend<NonNullable<AuthClientOptions['environment']>>();
  });

  it('createAuthFetch wraps any client with getAccessToken and returns a fetch', () => {
    expectTypeOf<AuthClient>().toExtend<Parameters<typeof createAuthFetch>[0]>();
    expectTypeOf(createAuthFetch).returns.parameters.toEqualTypeOf<[RequestInfo | URL, RequestInit?]>();
    expectTypeOf(createAuthFetch).returns.returns.toEqualTypeOf<Promise<Response>>();
  });

  it('parseWwwAuthenticate returns challenges', () => {
    expectTypeOf(parseWwwAuthenticate).returns.toEqualTypeOf<Challenge[]>();
    expectTypeOf<Challenge['token68']>().toEqualTypeOf<string | undefined>();
  });
});
