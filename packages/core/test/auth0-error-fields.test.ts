import { describe, expect, it } from 'vitest';
import {
  LoginRequiredError,
  MissingRefreshTokenError,
  MissingTransactionError,
  StateMismatchError,
  TimeoutError,
} from '../src/index.js';
import { OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const API = 'https://other-api.example/';

/**
 * Code written against Auth0's SDK reads `error` and `error_description` on what its calls reject with
 * (`if (e.error === 'login_required') loginWithRedirect()`): the errors this client raises itself carry
 * them too, beside `code`.
 */
describe("errors the client raises itself carry Auth0's error fields", () => {
  it('signed out: login_required, described by the message', async () => {
    const { client } = offlineClient({}, () => Promise.reject(new Error('unused')));
    const refusal = await client.getAccessToken().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(LoginRequiredError);
    expect(refusal).toMatchObject({ error: 'login_required', error_description: 'not logged in' });
  });

  it('no refresh token for the API asked for: missing_refresh_token, naming that audience and scope', async () => {
    const fresh = { access_token: 'at', expires_at: OFFLINE_NOW + 300_000 };
    const { client } = offlineClient({ claims: {}, tokens: { [OFFLINE_TOKEN_KEY]: fresh } }, () =>
      Promise.reject(new Error('unused')),
    );
    const refusal = await client.getAccessToken({ audience: API }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(MissingRefreshTokenError);
    expect(refusal).toMatchObject({
      error: 'missing_refresh_token',
      error_description: 'no refresh token',
      audience: API,
      scope: 'openid profile email',
    });
  });

  it('state_mismatch, missing_transaction and timeout, as Auth0 names them', () => {
    expect(new StateMismatchError('unknown state')).toMatchObject({
      error: 'state_mismatch',
      error_description: 'unknown state',
    });
    expect(new MissingTransactionError('login expired')).toMatchObject({ error: 'missing_transaction' });
    expect(new TimeoutError('silent authorization')).toMatchObject({
      error: 'timeout',
      error_description: 'silent authorization',
    });
  });

  it("keeps the server's own fields where it answered", () => {
    const answered = new LoginRequiredError({ error: 'login_required', error_description: 'Login required' });
    expect(answered).toMatchObject({ error: 'login_required', error_description: 'Login required' });
  });
});
