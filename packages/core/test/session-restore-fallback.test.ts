import { describe, expect, it } from 'vitest';
import {
  InvalidResponseError,
  LoginRequiredError,
  MissingRefreshTokenError,
  NetworkError,
  OAuthError,
  TimeoutError,
} from '../src/errors.js';
import { resolveOptions } from '../src/options.js';
import { restoreSession } from '../src/session-restore.js';
import type { AuthEvent } from '../src/state-machine.js';
import { memoryStorage } from '../src/storage.js';
import { createTokenCache } from '../src/token-cache.js';
import type { GetAccessTokenOptions } from '../src/token-manager.js';

const API = 'https://other-api.example';
const config = resolveOptions({
  issuer: 'https://idp.example/',
  clientId: 'app',
  redirectUri: 'https://app.example/',
  audience: 'https://default-api.example',
  environment: { location: undefined, sessionStorage: undefined, localStorage: undefined },
});

/** A restore whose token requests answer from `answers`, in turn (an Error rejects); what it asked and told. */
async function restore(
  options: GetAccessTokenOptions | undefined,
  ...answers: Array<string | undefined | Error>
) {
  const asked: GetAccessTokenOptions[] = [];
  const events: AuthEvent[] = [];
  const deps = {
    config,
    cache: createTokenCache(memoryStorage(), 'grantflow.app.session'),
    send: async (event: AuthEvent) => void events.push(event),
    token: async (requested: GetAccessTokenOptions) => {
      asked.push(requested);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  await restoreSession(deps, options && { options, within: (start) => start() });
  return {
    asked,
    events: events.map((event) => [event.type, 'error' in event ? event.error.code : undefined]),
  };
}

const refused = () =>
  new LoginRequiredError('refresh token refused', { cause: new OAuthError({ error: 'invalid_grant' }, 400) });

describe('the page-load restore of another token than the default', () => {
  it.each([
    ['no refresh token for it', new MissingRefreshTokenError('none')],
    ['its refresh token refused', refused()],
    ['a refusal that is no OAuth transient', new OAuthError({ error: 'consent_required' }, 400)],
  ])('falls back to the default token when the server has not granted it (%s)', async (_name, error) => {
    const { asked, events } = await restore({ audience: API }, error, undefined);
    expect(asked).toEqual([
      { audience: API, scope: undefined, cacheMode: undefined },
      { cacheMode: undefined },
    ]);
    expect(events).toEqual([['UNAUTHENTICATED', undefined]]);
  });

  it.each([
    ['a network failure', new NetworkError('offline')],
    ['a timeout', new TimeoutError('slow')],
    ['a 503', new InvalidResponseError('token endpoint: HTTP 503', 503)],
    [
      "the server's own login_required (no session there)",
      new LoginRequiredError({ error: 'login_required' }),
    ],
  ])('does not fall back after %s: the failure is told as is', async (_name, error) => {
    const { asked, events } = await restore({ audience: API }, error);
    expect(asked).toHaveLength(1);
    expect(events).toEqual([['FAILED', error.code]]);
  });

  it('falls back when no token was found for it, in the same cache mode', async () => {
    const { asked } = await restore({ audience: API, cacheMode: 'cache-only' }, undefined, undefined);
    expect(asked).toEqual([
      { audience: API, scope: undefined, cacheMode: 'cache-only' },
      { cacheMode: 'cache-only' },
    ]);
  });

  it('counts a call naming only a scope as another token', async () => {
    const { asked } = await restore({ scope: 'read:x' }, new MissingRefreshTokenError('none'), undefined);
    expect(asked).toHaveLength(2);
  });

  it('asks once for the default token, with no fall-back, when the call names the default or nothing', async () => {
    for (const options of [undefined, {}, { audience: config.audience }]) {
      const { asked, events } = await restore(options, new MissingRefreshTokenError('none'));
      expect(asked).toHaveLength(1);
      expect(events).toEqual([['FAILED', 'missing_refresh_token']]);
    }
    expect((await restore({}, undefined)).asked).toHaveLength(1);
  });
});
