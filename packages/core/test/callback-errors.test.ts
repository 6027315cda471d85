import { describe, expect, it } from 'vitest';
import { AuthorizationError, LoginRequiredError } from '../src/index.js';
import { offlineClient } from './support.js';

const noRequest = () => Promise.reject(new TypeError('no request expected'));

/** Starts a login and answers its callback with `error` (and the description, when given). */
async function answeredWith(error: string, description?: string) {
  const { client, requests } = offlineClient({}, noRequest);
  const state = new URL(await client.buildAuthorizeUrl()).searchParams.get('state')!;
  const callback = new URL('https://app.example/callback');
  callback.searchParams.set('error', error);
  if (description !== undefined) callback.searchParams.set('error_description', description);
  callback.searchParams.set('state', state);
  const attempt = client.handleRedirectCallback(callback.href);
  await attempt.catch(() => undefined);
  client.destroy();
  expect(requests).toEqual([]);
  return attempt;
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

  it('anything else is an AuthorizationError carrying the fields', async () => {
    const denied = answeredWith('access_denied', 'No way');
    await expect(denied).rejects.toBeInstanceOf(AuthorizationError);
    await expect(denied).rejects.toMatchObject({ error: 'access_denied', error_description: 'No way' });
  });
});
