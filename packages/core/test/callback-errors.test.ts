import { describe, expect, it } from 'vitest';
import { AuthorizationError, LoginRequiredError, silentAuthorization } from '../src/index.js';
import { offlineClient } from './support.js';

const noRequest = () => Promise.reject(new TypeError('no request expected'));

/** The redirect URI answered with `error`, the optional fields when given, and `state`. */
function errorAnswer(redirectUri: string, state: string, error: string, fields: Record<string, string> = {}) {
  const callback = new URL(redirectUri);
  callback.search = new URLSearchParams({ error, ...fields, state }).toString();
  return callback.href;
}

/** Starts a login and answers its callback with `error` (and the description, when given). */
async function answeredWith(error: string, description?: string, fields: Record<string, string> = {}) {
  const { client, requests } = offlineClient({}, noRequest);
  const state = new URL(await client.buildAuthorizeUrl()).searchParams.get('state')!;
  const described = description === undefined ? fields : { error_description: description, ...fields };
  const attempt = client.handleRedirectCallback(
    errorAnswer('https://app.example/callback', state, error, described),
  );
  await attempt.catch(() => undefined);
  client.destroy();
  expect(requests).toEqual([]);
  return attempt;
}

const HELP = 'https://idp.example/help';

/** A LoginRequiredError with the answer's fields (`error_uri` HELP), as an AuthorizationError has them. */
async function expectAnswerFields(attempt: Promise<unknown>, description: string) {
  await expect(attempt).rejects.toBeInstanceOf(LoginRequiredError);
  await expect(attempt).rejects.toMatchObject({
    code: 'login_required',
    message: description,
    error: 'login_required',
    error_description: description,
    error_uri: HELP,
  });
}

describe('an authorization error in the callback', () => {
  it('login_required is a LoginRequiredError with the description, or its code, as message', async () => {
    const described = answeredWith('login_required', 'Sign in again, please');
    await expect(described).rejects.toBeInstanceOf(LoginRequiredError);
    await expect(described).rejects.toThrow('Sign in again, please');
    // One at a time: a second rejected attempt waiting unobserved would be an unhandled rejection.
    for (const description of [undefined, '']) {
      const bare = answeredWith('login_required', description);
      await expect(bare).rejects.toBeInstanceOf(LoginRequiredError);
      await expect(bare).rejects.toMatchObject({ message: 'login_required', code: 'login_required' });
    }
  });

  it('login_required carries the OAuth error fields of the answer (RFC 6749 §4.1.2.1), as AuthorizationError does', async () => {
    await expectAnswerFields(answeredWith('login_required', 'x', { error_uri: HELP }), 'x');
  });

  it('anything else is an AuthorizationError carrying the fields', async () => {
    const denied = answeredWith('access_denied', 'No way');
    await expect(denied).rejects.toBeInstanceOf(AuthorizationError);
    await expect(denied).rejects.toMatchObject({ error: 'access_denied', error_description: 'No way' });
  });
});

describe('an authorization error in the answer to a silent authorization (OIDC Core §3.1.2.6)', () => {
  it('login_required rejects the renewal with a LoginRequiredError carrying the OAuth error fields', async () => {
    const { client, requests } = offlineClient({}, noRequest, {
      silentAuthorization: silentAuthorization(async ({ url, redirectUri }) => {
        const state = new URL(url).searchParams.get('state')!;
        return errorAnswer(redirectUri, state, 'login_required', {
          error_description: 'Login required',
          error_uri: HELP,
        });
      }),
    });
    await expectAnswerFields(client.getAccessToken(), 'Login required');
    expect(requests).toEqual([]);
    client.destroy();
  });

  it.each([
    ['access_denied', AuthorizationError],
    ['login_required', LoginRequiredError],
  ])(
    "%s carries the answer's state and the login's appState, as Auth0's AuthenticationError does",
    async (error, ErrorClass) => {
      const { client } = offlineClient({}, noRequest);
      const appState = { returnTo: '/appointments' };
      const state = new URL(await client.buildAuthorizeUrl({ appState })).searchParams.get('state')!;
      const attempt = client.handleRedirectCallback(
        errorAnswer('https://app.example/callback', state, error),
      );
      await expect(attempt).rejects.toBeInstanceOf(ErrorClass);
      await expect(attempt).rejects.toMatchObject({ error, state, appState });
      client.destroy();
    },
  );
});
