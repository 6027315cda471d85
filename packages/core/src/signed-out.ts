import { answeredByServer, type GrantflowError } from './errors.js';

/**
 * A silent authorization's answers that mean "not signed in here", as Auth0's SDK counts them: those of
 * OIDC Core §3.1.2.6 that need the user, and `access_denied` (RFC 6749 §4.1.2.1, which §3.1.2.6 names
 * for a refused request; under `prompt=none` the server refused without asking, by a rule or policy).
 */
const SIGNED_OUT_ANSWERS = [
  'login_required',
  'consent_required',
  'interaction_required',
  'account_selection_required',
  'access_denied',
];

/** Failures that mean nobody is signed in, rather than that something went wrong. */
export function meansSignedOut(error: GrantflowError): boolean {
  return (
    error.code === 'login_required' ||
    error.code === 'missing_refresh_token' ||
    (error.code === 'authorization_error' &&
      'error' in error &&
      SIGNED_OUT_ANSWERS.includes(String(error.error)))
  );
}

// `login_required` as the server's answer (a refresh token's `invalid_grant` the cause, or a silent `error`).
export const refusedByServer = (error: GrantflowError): boolean =>
  error.code === 'login_required' && (error.cause !== undefined || answeredByServer(error));
