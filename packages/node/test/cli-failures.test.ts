import { describe, expect, it } from 'vitest';
import {
  AuthorizationError,
  LoginRequiredError,
  MissingRefreshTokenError,
  NetworkError,
  OAuthError,
  TimeoutError,
} from '@grantflow/core';
import { UsageError } from '../src/cli/arguments.js';
import { describeFailure } from '../src/cli/failures.js';
import type { Profile } from '../src/cli/profile.js';
import { LoginCancelledError, TokenStorageError } from '../src/index.js';

const profile: Profile = {
  issuer: 'https://idp.example/',
  clientId: 'cli',
  audience: 'https://api.example',
  scope: 'openid',
};

describe('describeFailure', () => {
  it.each([
    [new UsageError('unknown command "x"'), 2, 'unknown command "x" (see "grantflow --help")'],
    [new LoginCancelledError('login cancelled (Ctrl-C)'), 130, 'login cancelled (Ctrl-C)'],
    [
      new LoginRequiredError('not logged in'),
      4,
      'not signed in to https://idp.example/: run "grantflow login --audience https://api.example"',
    ],
    [
      new LoginRequiredError('refresh token rejected', {
        cause: new OAuthError({ error: 'invalid_grant' }, 400),
      }),
      4,
      'the session to https://idp.example/ has ended (invalid_grant): run "grantflow login --audience https://api.example"',
    ],
    [
      new MissingRefreshTokenError('no refresh token'),
      4,
      'no refresh token for https://api.example: run "grantflow login --audience https://api.example"',
    ],
    [
      new AuthorizationError({ error: 'access_denied', error_description: 'End-User denied the request' }),
      1,
      'sign-in failed: access_denied (End-User denied the request)',
    ],
    [new OAuthError({ error: 'invalid_client' }, 401), 1, 'the server refused: invalid_client'],
    [
      new NetworkError('fetch failed', { cause: new Error('connect ECONNREFUSED') }),
      1,
      'cannot reach https://idp.example/: connect ECONNREFUSED',
    ],
    [
      new TimeoutError('no answer from the browser within 300 s'),
      1,
      'no answer from the browser within 300 s',
    ],
    [new TokenStorageError('cannot write /x/tokens.json'), 1, 'cannot write /x/tokens.json'],
  ])('%s → exit %i', (error, exitCode, message) => {
    expect(describeFailure(error, profile)).toEqual({ exitCode, message });
  });

  it('keeps every message on one line', () => {
    expect(describeFailure('a\nb', undefined).message).not.toContain('\n');
  });
});
