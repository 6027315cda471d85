import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import {
  answeredByServer,
  asGrantflowError,
  AuthorizationError,
  GrantflowError,
  IdTokenInvalidError,
  InvalidResponseError,
  isRecoverable,
  LoginRequiredError,
  MissingRefreshTokenError,
  MissingTransactionError,
  NetworkError,
  OAuthError,
  PopupBlockedError,
  PopupClosedError,
  StateMismatchError,
  SubjectMismatchError,
  TimeoutError,
  StorageError,
  UnsupportedEnvironmentError,
  UserInfoError,
} from '../src/errors.js';
import { MfaRequiredError } from '../src/mfa.js';

describe('error classes', () => {
  it('each carry a stable code and name, and extend GrantflowError', () => {
    const cases: Array<[GrantflowError, string, string]> = [
      [new StateMismatchError('m'), 'state_mismatch', 'StateMismatchError'],
      [new MissingTransactionError('m'), 'missing_transaction', 'MissingTransactionError'],
      [new LoginRequiredError('m'), 'login_required', 'LoginRequiredError'],
      [new MissingRefreshTokenError('m'), 'missing_refresh_token', 'MissingRefreshTokenError'],
      [new OAuthError({ error: 'invalid_request' }, 400), 'oauth_error', 'OAuthError'],
      [new OAuthError({ error: 'invalid_grant' }, 400), 'invalid_grant', 'OAuthError'],
      [new MfaRequiredError({ error: 'mfa_required' }, 403), 'mfa_required', 'MfaRequiredError'],
      [new AuthorizationError({ error: 'access_denied' }), 'authorization_error', 'AuthorizationError'],
      [new TimeoutError('m'), 'timeout', 'TimeoutError'],
      [new NetworkError('m'), 'network_error', 'NetworkError'],
      [new InvalidResponseError('m', 502), 'invalid_response', 'InvalidResponseError'],
      [new IdTokenInvalidError('m'), 'id_token_invalid', 'IdTokenInvalidError'],
      [new UserInfoError('m', 401, 'invalid_token'), 'userinfo_error', 'UserInfoError'],
      [new SubjectMismatchError('m'), 'subject_mismatch', 'SubjectMismatchError'],
      [new PopupBlockedError('m'), 'popup_blocked', 'PopupBlockedError'],
      [new PopupClosedError('m'), 'popup_closed', 'PopupClosedError'],
      [new StorageError('m'), 'storage_error', 'StorageError'],
      [new UnsupportedEnvironmentError('m'), 'unsupported_environment', 'UnsupportedEnvironmentError'],
    ];
    for (const [error, code, name] of cases) {
      expect(error).toBeInstanceOf(GrantflowError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
      expect(core[name as keyof typeof core]).toBe(error.constructor);
    }
  });

  it('keep the cause', () => {
    const cause = new Error('socket hang up');
    expect(new NetworkError('m', { cause }).cause).toBe(cause);
  });

  it('copy only the RFC 6749 fields of an authorization error', () => {
    const error = new AuthorizationError({
      error: 'access_denied',
      error_description: 'User said no',
      state: 's',
    } as never);
    expect(error).toMatchObject({
      error: 'access_denied',
      error_description: 'User said no',
      message: 'User said no',
    });
    expect(error).not.toHaveProperty('state');
  });
});

describe('OAuth error fields', () => {
  it('carry error, description, URI and status; the message falls back to the error code', () => {
    const fields = { error: 'invalid_scope', error_uri: 'https://idp.test/errors/scope' };
    const error = new OAuthError(fields, 400);
    expect(error).toMatchObject({ ...fields, error_description: undefined, status: 400 });
    expect(error.message).toBe('invalid_scope');
    expect(new AuthorizationError({ error: 'access_denied', error_description: '' }).message).toBe(
      'access_denied',
    );
  });
});

describe("a LoginRequiredError's OAuth error fields", () => {
  const FIELDS = ['error', 'error_description', 'error_uri'];

  it("are the server's when it answered login_required; Auth0's (error, error_description) on one of the client's own making", () => {
    const answered = new LoginRequiredError({ error: 'login_required' });
    expect(FIELDS.filter((name) => name in answered)).toEqual(FIELDS);
    expect(answeredByServer(answered)).toBe(true);
    const own = new LoginRequiredError('no session');
    expect(own.message).toBe('no session');
    expect(own).toMatchObject({ error: 'login_required', error_description: 'no session' });
    expect('error_uri' in own).toBe(false);
    // The server's answer is told from the client's own conclusion without reading the fields.
    expect(answeredByServer(own)).toBe(false);
  });
});

describe('any failure, reported as a typed error', () => {
  it('passes a GrantflowError through and wraps anything else as an invalid response with its cause', () => {
    const known = new NetworkError('down');
    expect(asGrantflowError(known)).toBe(known);
    const thrown = new Error('navigate failed');
    const wrapped = asGrantflowError(thrown);
    expect(wrapped).toBeInstanceOf(InvalidResponseError);
    expect(wrapped).toMatchObject({ code: 'invalid_response', message: 'navigate failed', cause: thrown });
    expect((wrapped as InvalidResponseError).status).toBeUndefined();
    const odd = asGrantflowError('a string');
    expect(odd).toBeInstanceOf(InvalidResponseError);
    expect(odd).toMatchObject({ message: 'a string', cause: 'a string' });
  });
});

describe('isRecoverable', () => {
  it('is true for transport failures, 5xx and 429, false for the rest', () => {
    expect(isRecoverable(new NetworkError('m'))).toBe(true);
    expect(isRecoverable(new TimeoutError('m'))).toBe(true);
    expect(isRecoverable(new InvalidResponseError('m', 503))).toBe(true);
    expect(isRecoverable(new OAuthError({ error: 'temporarily_unavailable' }, 503))).toBe(true);
    expect(isRecoverable(new OAuthError({ error: 'slow_down' }, 429))).toBe(true);
    expect(isRecoverable(new OAuthError({ error: 'invalid_grant' }, 400))).toBe(false);
    expect(isRecoverable(new InvalidResponseError('m', 200))).toBe(false);
    expect(isRecoverable(new InvalidResponseError('m'))).toBe(false);
    expect(isRecoverable(new Error('x'))).toBe(false);
    expect(isRecoverable(new InvalidResponseError('m', 500))).toBe(true);
    expect(isRecoverable(new InvalidResponseError('m', 499))).toBe(false);
    // A status on anything but a server's answer says nothing.
    expect(isRecoverable(Object.assign(new Error('x'), { status: 503 }))).toBe(false);
    expect(isRecoverable(new UserInfoError('m', 503, undefined))).toBe(false);
  });
});
