import fc from 'fast-check';
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
    expect(describeFailure('a \r\n\t\n  b\n', undefined).message).toBe('a b');
  });

  it("joins the lines of a server's long description in linear time", () => {
    // A million spaces: the regex this replaced took quadratic time (1.5 s for 40,000), minutes here.
    const spaces = ' '.repeat(1_000_000);
    const refused = new OAuthError(
      { error: 'invalid_grant', error_description: `${spaces}x\n${spaces}y` },
      400,
    );
    expect(describeFailure(refused, profile).message).toBe(
      `the server refused: invalid_grant (${spaces}x y)`,
    );
  });

  it("names why the server could not be reached: Node's fetch wraps the reason in a TypeError", () => {
    // As core gets it from Node's fetch: "fetch failed", the system's reason as its cause.
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:9', { cause: { code: 'ECONNREFUSED' } });
    const failed = new NetworkError('fetch failed: https://idp.example/token', {
      cause: new TypeError('fetch failed', { cause: refused }),
    });
    expect(describeFailure(failed, profile)).toEqual({
      exitCode: 1,
      message: 'cannot reach https://idp.example/: connect ECONNREFUSED 127.0.0.1:9',
    });
    // A cause chain that loops, or a cause with no message, ends at the last message there is.
    const looping = new TypeError('fetch failed');
    looping.cause = looping;
    expect(describeFailure(new NetworkError('x', { cause: looping }), profile).message).toBe(
      'cannot reach https://idp.example/: fetch failed',
    );
  });

  it('names every address tried when the name resolved to several (an AggregateError has no message of its own)', () => {
    // As Node's fetch rejects for `localhost` refused on both ::1 and 127.0.0.1.
    const both = Object.assign(
      new AggregateError([
        new Error('connect ECONNREFUSED ::1:4000'),
        new Error('connect ECONNREFUSED 127.0.0.1:4000'),
      ]),
      { code: 'ECONNREFUSED' },
    );
    const failed = new NetworkError('fetch failed: http://localhost:4000/token', {
      cause: new TypeError('fetch failed', { cause: both }),
    });
    expect(describeFailure(failed, profile).message).toBe(
      'cannot reach https://idp.example/: connect ECONNREFUSED ::1:4000; connect ECONNREFUSED 127.0.0.1:4000',
    );
    // With no message anywhere below, the system's code still says why.
    const bare = Object.assign(new AggregateError([]), { code: 'ETIMEDOUT' });
    expect(
      describeFailure(
        new NetworkError('x', { cause: new TypeError('fetch failed', { cause: bare }) }),
        profile,
      ).message,
    ).toBe('cannot reach https://idp.example/: ETIMEDOUT');
  });

  it('asks for a login of its own for an API the last login was not for', () => {
    const other = { ...profile, audience: 'https://other.example' };
    expect(describeFailure(new MissingRefreshTokenError('no refresh token'), other, profile)).toEqual({
      exitCode: 4,
      message:
        'no session for API https://other.example (each API needs its own sign-in): ' +
        'run "grantflow login --audience https://other.example"',
    });
    // The last login's own API, which the server gave no refresh token for.
    expect(describeFailure(new MissingRefreshTokenError('no refresh token'), profile, profile)).toEqual({
      exitCode: 4,
      message:
        'no refresh token for https://api.example: run "grantflow login --audience https://api.example"',
    });
  });

  it("writes the server's control characters out visibly, never as they are (RFC 6749 §4.1.2.1)", () => {
    const denied = new AuthorizationError({
      error: 'access_denied',
      error_description: 'x\u001b[2J\u001b]0;pwned\u0007\rgrantflow: Signed in fine\u009b1m\u007f',
    });
    expect(describeFailure(denied, profile).message).toBe(
      'sign-in failed: access_denied (x\\x1b[2J\\x1b]0;pwned\\x07\\x0dgrantflow: Signed in fine\\x9b1m\\x7f)',
    );
  });

  it('lets no control character through, whatever the server sends', () => {
    // eslint-disable-next-line no-control-regex -- the characters that must not get through
    const control = /[\u0000-\u001f\u007f-\u009f]/;
    // Any text, with the controls, DEL and C1 (U+0000–U+009F) made frequent.
    const character = fc.oneof(
      fc.nat(0x9f).map((code) => String.fromCharCode(code)),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    const serverText = fc.string({ unit: character, maxLength: 40 });
    const failures = fc.oneof(
      fc
        .tuple(serverText, fc.option(serverText, { nil: undefined }))
        .map(([error, error_description]) => new AuthorizationError({ error, error_description })),
      fc
        .tuple(serverText, fc.option(serverText, { nil: undefined }))
        .map(([error, error_description]) => new OAuthError({ error, error_description }, 400)),
      serverText.map((message) => new Error(message)),
    );
    fc.assert(
      fc.property(failures, (error) => {
        expect(describeFailure(error, profile).message).not.toMatch(control);
      }),
      { numRuns: 500 },
    );
  });
});
