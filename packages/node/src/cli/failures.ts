import {
  AuthorizationError,
  GrantflowError,
  LoginRequiredError,
  MissingRefreshTokenError,
  NetworkError,
  OAuthError,
} from '@grantflow/core';
import { LoginCancelledError, NodeAuthError } from '../errors.js';
import { UsageError } from './arguments.js';
import type { Profile } from './profile.js';
import { visible } from './visible.js';

export const EXIT = { failed: 1, usage: 2, signedOut: 4, cancelled: 130 } as const;

export interface Failure {
  /** One line for stderr. */
  message: string;
  exitCode: number;
}

const withDescription = (error: string, description: string | undefined) =>
  description && description !== error ? `${error} (${description})` : error;

/** Whether `profile` names the API the last login was for, at the same provider and client. */
const sameApi = (profile: Profile, lastLogin: Profile) =>
  lastLogin.issuer === profile.issuer &&
  lastLogin.clientId === profile.clientId &&
  lastLogin.audience === profile.audience &&
  lastLogin.resource === profile.resource;

/**
 * A signed-in user without a refresh token for this API: refresh tokens are kept per API, as the server
 * issued them at each sign-in, so an API the last login was not for needs a login of its own.
 */
function noRefreshToken(
  api: string | undefined,
  profile: Profile | undefined,
  lastLogin: Profile | undefined,
) {
  if (profile && lastLogin && !sameApi(profile, lastLogin)) {
    return `no session for ${api ? `API ${api}` : 'the default API'} (each API needs its own sign-in)`;
  }
  return `no refresh token for ${api ?? 'this audience'}`;
}

function signedOut(
  error: GrantflowError,
  profile: Profile | undefined,
  lastLogin: Profile | undefined,
): Failure {
  const [flag, api] = profile?.resource
    ? ['--resource', profile.resource]
    : ['--audience', profile?.audience];
  const login = `run "grantflow login${api ? ` ${flag} ${api}` : ''}"`;
  const where = profile ? ` to ${profile.issuer}` : '';
  const message =
    error instanceof MissingRefreshTokenError
      ? `${noRefreshToken(api, profile, lastLogin)}: ${login}`
      : error.cause instanceof OAuthError
        ? `the session${where} has ended (${error.cause.error}): ${login}`
        : `not signed in${where}: ${login}`;
  return { message, exitCode: EXIT.signedOut };
}

/**
 * Turns whatever a command threw into one clear line and an exit code; `lastLogin` is the profile the
 * last login saved. Server text (an `error_description`) reaches the terminal with its control
 * characters made visible.
 */
export function describeFailure(
  error: unknown,
  profile: Profile | undefined,
  lastLogin?: Profile | undefined,
): Failure {
  const { message, exitCode } = classify(error, profile, lastLogin);
  return { message: visible(oneLine(message)), exitCode };
}

/**
 * The lines of `text` trimmed, the blank ones dropped, joined by spaces; in linear time, unlike the regex
 * of whitespace around a line break it replaces, quadratic on a long run of spaces (a server's text).
 */
const oneLine = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');

/**
 * What one error says: a name that resolved to several addresses (`localhost`: ::1 and 127.0.0.1) fails
 * with an AggregateError whose own message is empty, each address's reason in `errors`; its `code` when
 * nothing else is said.
 */
function reasonOf(error: Error): string | undefined {
  if (error instanceof AggregateError) {
    const reasons = (error.errors as unknown[]).flatMap((each) =>
      each instanceof Error && each.message ? [each.message] : [],
    );
    if (reasons.length > 0) return reasons.join('; ');
  }
  const { code } = error as { code?: unknown };
  return error.message || (typeof code === 'string' && code ? code : undefined);
}

/**
 * The deepest reason in an error's `cause` chain: Node's fetch rejects with a bare "fetch failed"
 * TypeError, the system's reason (`connect ECONNREFUSED 127.0.0.1:4000`, `getaddrinfo ENOTFOUND …`) its cause.
 */
function innermostReason(cause: unknown): string | undefined {
  let reason: string | undefined;
  const seen = new Set<unknown>();
  for (let at = cause; at instanceof Error && !seen.has(at); at = at.cause) {
    seen.add(at);
    reason = reasonOf(at) ?? reason;
  }
  return reason;
}

function classify(error: unknown, profile: Profile | undefined, lastLogin: Profile | undefined): Failure {
  if (error instanceof UsageError) {
    return { message: `${error.message} (see "grantflow --help")`, exitCode: EXIT.usage };
  }
  if (error instanceof LoginCancelledError) return { message: error.message, exitCode: EXIT.cancelled };
  if (error instanceof LoginRequiredError || error instanceof MissingRefreshTokenError) {
    return signedOut(error, profile, lastLogin);
  }
  if (error instanceof AuthorizationError) {
    return {
      message: `sign-in failed: ${withDescription(error.error, error.error_description)}`,
      exitCode: 1,
    };
  }
  if (error instanceof OAuthError) {
    return {
      message: `the server refused: ${withDescription(error.error, error.error_description)}`,
      exitCode: 1,
    };
  }
  if (error instanceof NetworkError) {
    const reason = innermostReason(error.cause);
    return {
      message: `cannot reach ${profile?.issuer ?? 'the server'}${reason ? `: ${reason}` : ''}`,
      exitCode: EXIT.failed,
    };
  }
  if (error instanceof GrantflowError || error instanceof NodeAuthError || error instanceof Error) {
    return { message: error.message, exitCode: EXIT.failed };
  }
  return { message: String(error), exitCode: EXIT.failed };
}
