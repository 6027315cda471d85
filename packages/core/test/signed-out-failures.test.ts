import { describe, expect, it } from 'vitest';
import {
  AuthorizationError,
  InvalidResponseError,
  LoginRequiredError,
  MissingRefreshTokenError,
  NetworkError,
  OAuthError,
} from '../src/index.js';
import { meansSignedOut } from '../src/signed-out.js';

describe('meansSignedOut', () => {
  it('is true for login_required, no refresh token, and a silent authorization that needs the user or is refused', () => {
    expect(meansSignedOut(new LoginRequiredError('m'))).toBe(true);
    expect(meansSignedOut(new MissingRefreshTokenError('m'))).toBe(true);
    // OIDC Core §3.1.2.6: every prompt=none answer that needs the user, and a refused request
    // (RFC 6749's access_denied), as Auth0's SDK counts them.
    for (const error of [
      'login_required',
      'consent_required',
      'interaction_required',
      'account_selection_required',
      'access_denied',
    ]) {
      expect(meansSignedOut(new AuthorizationError({ error }))).toBe(true);
    }
  });

  it('is false for other authorization errors, and for the same codes from a token endpoint', () => {
    for (const error of [
      'invalid_request',
      'unauthorized_client',
      'server_error',
      'temporarily_unavailable',
    ]) {
      expect(meansSignedOut(new AuthorizationError({ error }))).toBe(false);
    }
    for (const error of ['login_required', 'consent_required', 'interaction_required', 'access_denied']) {
      expect(meansSignedOut(new OAuthError({ error }, 400))).toBe(false);
    }
    expect(meansSignedOut(new NetworkError('m'))).toBe(false);
    expect(meansSignedOut(new InvalidResponseError('m', 502))).toBe(false);
  });
});
