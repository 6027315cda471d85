import {
  AuthorizationError,
  IdTokenInvalidError,
  InvalidResponseError,
  LoginRequiredError,
  MfaRequiredError,
  MissingRefreshTokenError,
  MissingTransactionError,
  NetworkError,
  OAuthError,
  PopupBlockedError,
  PopupClosedError,
  StateMismatchError,
  StorageError,
  SubjectMismatchError,
  TimeoutError,
  UnsupportedEnvironmentError,
  UserInfoError,
  type GrantflowError,
  type GrantflowErrorCode,
} from '@grantflow/core';
import { describe, expect, it } from 'vitest';
import { describeError, explainError } from '../src/errors.js';

/** One error of each code, as the core throws it: a new code fails the typecheck here until it has one. */
const ONE_OF_EACH: Record<GrantflowErrorCode, GrantflowError> = {
  state_mismatch: new StateMismatchError('state mismatch'),
  missing_transaction: new MissingTransactionError('no login transaction for this state'),
  login_required: new LoginRequiredError('refresh token rejected'),
  missing_refresh_token: new MissingRefreshTokenError('no refresh token'),
  oauth_error: new OAuthError(
    { error: 'invalid_client', error_description: 'client authentication failed' },
    401,
  ),
  invalid_grant: new OAuthError(
    { error: 'invalid_grant', error_description: 'grant request is invalid' },
    400,
  ),
  mfa_required: new MfaRequiredError(
    { error: 'mfa_required', error_description: 'Multifactor authentication required' },
    403,
  ),
  authorization_error: new AuthorizationError({
    error: 'access_denied',
    error_description: 'End-User denied the authorization request',
  }),
  timeout: new TimeoutError('request timed out after 10000 ms'),
  network_error: new NetworkError('fetch failed: http://localhost:4000/.well-known/openid-configuration'),
  invalid_response: new InvalidResponseError('token response has no access_token', 200),
  id_token_invalid: new IdTokenInvalidError('nonce mismatch'),
  userinfo_error: new UserInfoError('userinfo refused (401 invalid_token)', 401, 'invalid_token'),
  subject_mismatch: new SubjectMismatchError('userinfo sub differs from the ID token sub'),
  popup_blocked: new PopupBlockedError('the browser blocked the sign-in popup'),
  popup_closed: new PopupClosedError('the sign-in popup was closed'),
  storage_error: new StorageError('dpop key store put failed'),
  unsupported_environment: new UnsupportedEnvironmentError('hiddenIframe() needs a document'),
};

describe('explainError', () => {
  it.each(Object.entries(ONE_OF_EACH))(
    '%s: plain words first, the code and message as details',
    (code, error) => {
      for (const signedIn of [false, true]) {
        const { words, details } = explainError(error, { signedIn });
        // A sentence for a person: not the code, not the technical message.
        expect(words).toMatch(/^[A-Z].{20,}[.]$/s);
        expect(words).not.toContain(code);
        expect(words).not.toBe(error.message);
        expect(details).toMatch(new RegExp(`^${code}\\b`));
        expect(details).toContain(error.message);
        expect(describeError(error, { signedIn })).toBe(`${words} (${details})`);
      }
    },
  );

  it('gives each code its own words, apart from the pairs that mean the same to the user', () => {
    const byWords = new Map<string, string[]>();
    for (const [code, error] of Object.entries(ONE_OF_EACH)) {
      const { words } = explainError(error);
      byWords.set(words, [...(byWords.get(words) ?? []), code]);
    }
    const shared = [...byWords.values()]
      .filter((codes) => codes.length > 1)
      .map((codes) => codes.sort().join('+'));
    expect(shared.sort()).toEqual(['missing_transaction+state_mismatch', 'network_error+timeout'].sort());
  });

  it('says the session is kept when the sign-in service cannot be reached while signed in', () => {
    const error = ONE_OF_EACH.network_error;
    expect(explainError(error).words).toBe("Can't reach the sign-in service. Try again in a moment.");
    expect(explainError(error, { signedIn: true }).words).toBe(
      "Can't reach the sign-in service; you are still signed in.",
    );
  });

  it('reads a busy token endpoint (429, 5xx) as a moment to wait, not as a refusal', () => {
    const busy = new OAuthError({ error: 'temporarily_unavailable' }, 503);
    expect(explainError(busy, { signedIn: true }).words).toBe(
      'The sign-in service is busy or having trouble; you are still signed in. Try again in a moment.',
    );
    const htmlPage = new InvalidResponseError('token endpoint answered text/html', 502);
    expect(explainError(htmlPage).words).toBe(
      'The sign-in service is busy or having trouble. Try again in a moment.',
    );
  });

  it.each([
    ['logged out meanwhile', 'You signed out in another tab'],
    ['signed in anew meanwhile', 'this tab now shows that sign-in'],
    ['no cached token', 'No fresh access token was at hand'],
    ['another user is signed in at the server', 'Another user is signed in at the sign-in service'],
    ['refresh token rejected', 'Your session has ended'],
    ['not logged in', 'Your session has ended'],
  ])('login_required "%s" says who ended what', (message, words) => {
    expect(explainError(new LoginRequiredError(message)).words).toContain(words);
  });
});

describe('authorization_error, by the server’s error', () => {
  const words = (error: string, error_description?: string) =>
    explainError(new AuthorizationError({ error, error_description })).words;

  it('access_denied from the consent page: you declined', () => {
    expect(words('access_denied', 'End-User denied the authorization request')).toBe(
      'You declined the sign-in on the sign-in service’s page, so you are not signed in. To continue, sign in again and choose Allow.',
    );
    expect(words('access_denied', 'User did not authorize the request')).toMatch(/^You declined/);
    expect(words('access_denied')).toMatch(/^You declined/);
  });

  it('access_denied for another reason (not a member of the organization): refused, with the server’s reason', () => {
    const text = words('access_denied', 'user bob is not a member of the Acme Clinic organization');
    expect(text).not.toMatch(/declined/);
    expect(text).toContain('The sign-in service refused to sign you in.');
    expect(text).toContain('“user bob is not a member of the Acme Clinic organization”');
    expect(text).toContain('ask for an invitation');
  });

  it.each([
    ['consent_required', 'choose Allow'],
    ['interaction_required', 'on its own page'],
    ['account_selection_required', 'choose an account'],
    ['server_error', 'problem of its own'],
    ['temporarily_unavailable', 'busy or under maintenance'],
    ['invalid_scope', 'a problem with the app’s setup'],
    ['unauthorized_client', 'a problem with the app’s setup'],
  ])('%s', (error, expected) => {
    expect(words(error, 'whatever the server said')).toContain(expected);
  });

  it('an error it does not know: the generic sentence and the server’s description', () => {
    expect(words('org_suspended', 'The organization is suspended')).toBe(
      'The sign-in service refused to sign you in. It said: “The organization is suspended”. Try again, or tell whoever runs the app if it keeps happening.',
    );
    expect(words('toString')).toBe(
      'The sign-in service refused to sign you in. Try again, or tell whoever runs the app if it keeps happening.',
    );
  });

  it('names an error its code already names once in the details', () => {
    const error = Object.assign(new StateMismatchError('state mismatch'), { error: 'state_mismatch' });
    expect(explainError(error).details).toBe('state_mismatch: state mismatch');
  });

  it('keeps the server’s error and description in the details', () => {
    const error = new AuthorizationError({
      error: 'access_denied',
      error_description: 'user bob is not a member',
    });
    expect(explainError(error).details).toBe('authorization_error (access_denied): user bob is not a member');
  });
});

describe('errors without a core code', () => {
  it('shows the message alone', () => {
    expect(explainError(new Error('something broke'))).toEqual({ words: 'something broke' });
    expect(explainError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toEqual({ words: 'x' });
    expect(explainError(Object.assign(new Error('y'), { code: 'constructor' }))).toEqual({ words: 'y' });
    expect(explainError('plain string')).toEqual({ words: 'plain string' });
    expect(explainError(undefined)).toEqual({ words: 'undefined' });
  });
});
