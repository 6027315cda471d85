import type { GrantflowErrorCode } from '@grantflow/core';
import { authorizationErrorInWords } from './authorization-errors.js';

/** What the demo shows for a failure: plain words first, then the stable `code` and message for whoever debugs it. */
export interface ErrorExplanation {
  words: string;
  /** `code: message` (a bare message for an error without a code); absent when it would repeat `words`. */
  details?: string;
}

/** The parts of a core error the explanations read (the fields only some of them carry are optional). */
interface ErrorFields {
  message: string;
  /** The server's RFC 6749 `error` (`authorization_error`, `oauth_error`, a `login_required` answer). */
  error?: string | undefined;
  error_description?: string | undefined;
  /** The HTTP status of the answer (`oauth_error`, `invalid_response`, `userinfo_error`). */
  status?: number | undefined;
}

type InWords = (error: ErrorFields, signedIn: boolean) => string;

const STILL_SIGNED_IN = 'you are still signed in';

const unreachable: InWords = (_, signedIn) =>
  signedIn
    ? `Can't reach the sign-in service; ${STILL_SIGNED_IN}.`
    : "Can't reach the sign-in service. Try again in a moment.";

// A reloaded, bookmarked or replayed callback address: its sign-in is spent or was another tab's.
const spentCallback: InWords = (_, signedIn) =>
  signedIn
    ? `That sign-in link was already used or has expired; ${STILL_SIGNED_IN}.`
    : 'That sign-in link was already used or has expired. Sign in again.';

/** A 429 or 5xx answer: the service is overloaded or failing for a while, nothing is wrong with the session. */
const busy = (status: number | undefined) => status !== undefined && (status === 429 || status >= 500);

const busyService: InWords = (_, signedIn) =>
  signedIn
    ? `The sign-in service is busy or having trouble; ${STILL_SIGNED_IN}. Try again in a moment.`
    : 'The sign-in service is busy or having trouble. Try again in a moment.';

/** `login_required` by the core's message: who ended the session decides what to say. */
const LOGIN_REQUIRED = new Map<string, string>([
  [
    'logged out meanwhile',
    'You signed out in another tab while this one was renewing your session, so its answer was dropped. Sign in again to continue.',
  ],
  [
    'signed in anew meanwhile',
    'Someone signed in anew in another tab while this one was renewing, so its answer was dropped; this tab now shows that sign-in.',
  ],
  ['no cached token', 'No fresh access token was at hand, and this action does not renew it. Try again.'],
  [
    'another user is signed in at the server',
    'Another user is signed in at the sign-in service now, so your session here was ended. Sign in again.',
  ],
]);

/**
 * Every code of the core: a new one fails the typecheck here until it is given words. Each says what
 * happened and what the person can do.
 */
const IN_WORDS: Record<GrantflowErrorCode, InWords> = {
  network_error: unreachable,
  timeout: unreachable,
  state_mismatch: spentCallback,
  missing_transaction: spentCallback,
  popup_closed: () => 'The sign-in window was closed before signing in finished. Try again to sign in.',
  popup_blocked: () =>
    'Your browser blocked the sign-in window. Allow pop-ups for this site and try again, or use “Sign in” instead.',
  authorization_error: (e) => authorizationErrorInWords(e.error, e.error_description),
  login_required: (e) =>
    LOGIN_REQUIRED.get(e.message) ??
    'Your session has ended (it expired, or it was signed out or revoked elsewhere). Sign in again to continue.',
  missing_refresh_token: () =>
    'Your session cannot be renewed in the background: no refresh token was kept. Sign in again to continue.',
  // A refresh token refused reaches the app as login_required: this is a sign-in's code refused.
  invalid_grant: () =>
    'This sign-in could not be completed: its one-time code expired or was already used. Sign in again.',
  oauth_error: (e, signedIn) =>
    busy(e.status)
      ? busyService(e, signedIn)
      : `The sign-in service refused to give this app a token${e.error_description ? ` (“${e.error_description}”)` : ''}. Sign in again; if it keeps happening, tell whoever runs the app.`,
  mfa_required: () =>
    'The sign-in service asks for a second factor (such as a one-time code) before it gives this access. Sign in again to complete that step.',
  invalid_response: (e, signedIn) =>
    busy(e.status)
      ? busyService(e, signedIn)
      : `The sign-in service gave an answer this app cannot use${signedIn ? `; ${STILL_SIGNED_IN}` : ''}. Try again; if it keeps happening, tell whoever runs the app.`,
  id_token_invalid: () =>
    'The sign-in came back with an identity this app cannot trust (it failed a check), so you are not signed in. Sign in again; if it keeps happening, check that this computer’s clock is right.',
  userinfo_error: () =>
    'The sign-in service would not share your profile: it refused the access token. Try again; sign in again if it keeps happening.',
  subject_mismatch: () =>
    'The sign-in service answered with the profile of another user than the one signed in here, so it was not used. Sign out and sign in again.',
  storage_error: () =>
    'This browser refused to keep the sign-in (its site storage is blocked, full or unavailable, as in some private windows). Allow site data for this page, or free some space, and try again.',
  unsupported_environment: () =>
    'This browser lacks something the sign-in needs here, so that step was skipped and nothing was signed out. Use an up-to-date browser, or tell whoever runs the app.',
};

function isCode(code: unknown): code is GrantflowErrorCode {
  return typeof code === 'string' && Object.hasOwn(IN_WORDS, code);
}

function fieldsOf(error: unknown): ErrorFields {
  const { message, error: oauthError, error_description, status } = error as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    message: text(message) ?? String(error),
    error: text(oauthError),
    error_description: text(error_description),
    status: typeof status === 'number' ? status : undefined,
  };
}

/**
 * Plain words for any error the demo shows, and the technical line under them. `signedIn`: the failure
 * left a session in place (say so, rather than suggest signing in again).
 */
export function explainError(error: unknown, { signedIn = false } = {}): ErrorExplanation {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (!isCode(code) || typeof error !== 'object' || error === null) {
    return { words: error instanceof Error ? error.message : String(error) };
  }
  const fields = fieldsOf(error);
  // The server's own `error` where it says more than the code (core errors may carry their code as `error`).
  const server =
    fields.error && fields.error !== code && fields.error !== fields.message ? ` (${fields.error})` : '';
  return { words: IN_WORDS[code](fields, signedIn), details: `${code}${server}: ${fields.message}` };
}

/** `explainError` on one line, for text that has no room for a second (a status line, a banner). */
export function describeError(error: unknown, options: { signedIn?: boolean } = {}): string {
  const { words, details } = explainError(error, options);
  return details ? `${words} (${details})` : words;
}
