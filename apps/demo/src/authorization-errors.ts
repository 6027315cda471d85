/**
 * Plain words for the `error` an authorization server answers a sign-in with (RFC 6749 §4.1.2.1,
 * OIDC Core §3.1.2.6); the core reports them as `authorization_error` with that `error`.
 */

/**
 * The descriptions providers give when the user pressed Deny on their consent page (oidc-provider, so
 * the dev IdP; Auth0). `access_denied` alone does not say who refused: a rule, an Action or an
 * organization that the user is not a member of answers it too, with a description of its own.
 */
const DECLINED = new Set(['End-User denied the authorization request', 'User did not authorize the request']);

/** A mistake in how the app asks, not something the person signing in can change. */
const APP_SETUP =
  'The sign-in service refused how this app asked to sign you in: a problem with the app’s setup, not with your account. Try again later, or tell whoever runs the app.';

const BY_ERROR = new Map<string, string>(
  Object.entries({
    consent_required:
      'The sign-in service needs you to approve what this app may do before it signs you in. Sign in again and choose Allow.',
    interaction_required:
      'The sign-in service needs you on its own page to finish signing in. Sign in again.',
    account_selection_required:
      'The sign-in service needs you to choose an account. Sign in again and pick one.',
    server_error: 'The sign-in service ran into a problem of its own. Try again in a moment.',
    temporarily_unavailable: 'The sign-in service is busy or under maintenance. Try again in a moment.',
    invalid_request: APP_SETUP,
    invalid_scope: APP_SETUP,
    invalid_client: APP_SETUP,
    unauthorized_client: APP_SETUP,
    unsupported_response_type: APP_SETUP,
    invalid_request_uri: APP_SETUP,
    invalid_request_object: APP_SETUP,
    request_not_supported: APP_SETUP,
    request_uri_not_supported: APP_SETUP,
    registration_not_supported: APP_SETUP,
  }),
);

const quoted = (description: string | undefined) => (description ? ` It said: “${description}”.` : '');

/** What the sign-in service's `error` (and its `error_description`) means for the person signing in. */
export function authorizationErrorInWords(
  error: string | undefined,
  description: string | undefined,
): string {
  if (error === 'access_denied') {
    if (description === undefined || DECLINED.has(description)) {
      return 'You declined the sign-in on the sign-in service’s page, so you are not signed in. To continue, sign in again and choose Allow.';
    }
    return `The sign-in service refused to sign you in.${quoted(description)} If you were signing in to an organization, ask for an invitation to it, or sign in without it.`;
  }
  const known = error === undefined ? undefined : BY_ERROR.get(error);
  if (known !== undefined) return known;
  return `The sign-in service refused to sign you in.${quoted(description)} Try again, or tell whoever runs the app if it keeps happening.`;
}
