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

export const EXIT = { failed: 1, usage: 2, signedOut: 4, cancelled: 130 } as const;

export interface Failure {
  /** One line for stderr. */
  message: string;
  exitCode: number;
}

const withDescription = (error: string, description: string | undefined) =>
  description && description !== error ? `${error} (${description})` : error;

function signedOut(error: GrantflowError, profile: Profile | undefined): Failure {
  const [flag, api] = profile?.resource
    ? ['--resource', profile.resource]
    : ['--audience', profile?.audience];
  const login = `run "grantflow login${api ? ` ${flag} ${api}` : ''}"`;
  const where = profile ? ` to ${profile.issuer}` : '';
  const message =
    error instanceof MissingRefreshTokenError
      ? `no refresh token for ${api ?? 'this audience'}: ${login}`
      : error.cause instanceof OAuthError
        ? `the session${where} has ended (${error.cause.error}): ${login}`
        : `not signed in${where}: ${login}`;
  return { message, exitCode: EXIT.signedOut };
}

/** Turns whatever a command threw into one clear line and an exit code. */
export function describeFailure(error: unknown, profile: Profile | undefined): Failure {
  const { message, exitCode } = classify(error, profile);
  return { message: message.replace(/\s*\n\s*/g, ' '), exitCode };
}

function classify(error: unknown, profile: Profile | undefined): Failure {
  if (error instanceof UsageError) {
    return { message: `${error.message} (see "grantflow --help")`, exitCode: EXIT.usage };
  }
  if (error instanceof LoginCancelledError) return { message: error.message, exitCode: EXIT.cancelled };
  if (error instanceof LoginRequiredError || error instanceof MissingRefreshTokenError) {
    return signedOut(error, profile);
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
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { message: `cannot reach ${profile?.issuer ?? 'the server'}${cause}`, exitCode: EXIT.failed };
  }
  if (error instanceof GrantflowError || error instanceof NodeAuthError || error instanceof Error) {
    return { message: error.message, exitCode: EXIT.failed };
  }
  return { message: String(error), exitCode: EXIT.failed };
}
