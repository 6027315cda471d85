import { describe, expect, it } from 'vitest';
import { createAuthClient } from '../src/client.js';
import { AuthorizationError, InvalidResponseError } from '../src/errors.js';

const REDIRECT = 'https://app.example/callback';

/** A client with explicit endpoints (no discovery, no request), a page address and a recorded history. */
function clientAt(href: string, withHistory = true, withLocation = true) {
  const location = { href, assign: () => undefined };
  const replaced: string[] = [];
  const history = {
    state: { page: 1 },
    replaceState: (state: unknown, _title: string, url?: string | URL | null) => {
      expect(state).toEqual({ page: 1 });
      replaced.push(String(url));
    },
  };
  const client = createAuthClient({
    issuer: 'https://idp.example',
    clientId: 'app',
    redirectUri: REDIRECT,
    endpoints: { authorization: 'https://idp.example/authorize', token: 'https://idp.example/token' },
    fetch: async () => {
      throw new TypeError('no request expected');
    },
    environment: {
      location: withLocation ? location : undefined,
      history: withHistory ? history : undefined,
      sessionStorage: undefined,
      localStorage: undefined,
    },
  });
  return { client, location, replaced };
}

describe('the callback URL after handling', () => {
  it('loses every callback parameter after an authorization error, keeping the app its own', async () => {
    const { client, location, replaced } = clientAt('https://app.example/');
    const state = new URL(await client.buildAuthorizeUrl()).searchParams.get('state')!;
    const callback = new URL(REDIRECT);
    for (const [name, value] of Object.entries({
      tab: 'upcoming',
      error: 'access_denied',
      error_description: 'No way',
      error_uri: 'https://idp.example/why',
      state,
    })) {
      callback.searchParams.set(name, value);
    }
    location.href = callback.href;
    await expect(client.handleRedirectCallback()).rejects.toBeInstanceOf(AuthorizationError);
    expect(replaced).toEqual([`${REDIRECT}?tab=upcoming`]);
    client.destroy();
  });

  it("loses OIDC Session Management's session_state too (Keycloak sends it with the code)", async () => {
    const { client, location, replaced } = clientAt('https://app.example/');
    const state = new URL(await client.buildAuthorizeUrl()).searchParams.get('state')!;
    location.href = `${REDIRECT}?tab=1&error=access_denied&state=${state}&session_state=abc-123`;
    await expect(client.handleRedirectCallback()).rejects.toBeInstanceOf(AuthorizationError);
    expect(replaced).toEqual([`${REDIRECT}?tab=1`]);
    client.destroy();
  });

  it('is left alone when it is not the page the browser shows', async () => {
    const { client, replaced } = clientAt(`${REDIRECT}?tab=1`);
    const state = new URL(await client.buildAuthorizeUrl()).searchParams.get('state')!;
    await expect(
      client.handleRedirectCallback(`${REDIRECT}?error=access_denied&state=${state}`),
    ).rejects.toBeInstanceOf(AuthorizationError);
    expect(replaced).toEqual([]);
    client.destroy();
  });

  it("loses them under the fragment a hash router wrote meanwhile, which stays (vue-router's first navigation)", async () => {
    const { client, location, replaced } = clientAt('https://app.example/');
    const state = new URL(await client.buildAuthorizeUrl()).searchParams.get('state')!;
    location.href = `${REDIRECT}?tab=1&error=access_denied&state=${state}`;
    const handled = client.handleRedirectCallback();
    location.href += '#/profile';
    await expect(handled).rejects.toBeInstanceOf(AuthorizationError);
    expect(replaced).toEqual([`${REDIRECT}?tab=1#/profile`]);
    client.destroy();
  });

  it('is left alone when the app went to another query meanwhile, whatever the fragment', async () => {
    const { client, location, replaced } = clientAt('https://app.example/');
    const state = new URL(await client.buildAuthorizeUrl()).searchParams.get('state')!;
    location.href = `${REDIRECT}?error=access_denied&state=${state}#/`;
    const handled = client.handleRedirectCallback();
    location.href = `${REDIRECT}?error=access_denied&state=${state}&tab=2#/`;
    await expect(handled).rejects.toBeInstanceOf(AuthorizationError);
    expect(replaced).toEqual([]);
    client.destroy();
  });

  it('is left alone when the address bar meanwhile shows no absolute URL', async () => {
    const { client, location, replaced } = clientAt('https://app.example/');
    const state = new URL(await client.buildAuthorizeUrl()).searchParams.get('state')!;
    location.href = `${REDIRECT}?error=access_denied&state=${state}`;
    const handled = client.handleRedirectCallback();
    // An injected location may carry anything; the callback's own error is what the caller gets.
    location.href = '';
    await expect(handled).rejects.toBeInstanceOf(AuthorizationError);
    expect(replaced).toEqual([]);
    client.destroy();
  });

  it('names a repeated parameter, a sign of tampering, and leaves the state alone', async () => {
    const { client } = clientAt('https://app.example/');
    const attempt = client.handleRedirectCallback(
      `${REDIRECT}?code=a&state=s&error_description=x&error_description=y&error=e`,
    );
    await expect(attempt).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(attempt).rejects.toThrow('callback repeats "error_description"');
    expect(client.getSnapshot().status).toBe('unauthenticated');
    client.destroy();
  });

  it('loses the code of a callback refused for a repeated parameter (it must not stay in history)', async () => {
    const callback = `${REDIRECT}?code=secret&state=s&iss=x&iss=x`;
    const { client, replaced } = clientAt(callback);
    await expect(client.handleRedirectCallback(callback)).rejects.toThrow('callback repeats "iss"');
    expect(replaced).toEqual([REDIRECT]);
    client.destroy();
  });

  it('is left alone where there is no address bar (no location)', async () => {
    const { client, replaced } = clientAt('https://app.example/', true, false);
    const state = new URL(await client.buildAuthorizeUrl()).searchParams.get('state')!;
    await expect(
      client.handleRedirectCallback(`${REDIRECT}?error=access_denied&state=${state}`),
    ).rejects.toBeInstanceOf(AuthorizationError);
    expect(replaced).toEqual([]);
    client.destroy();
  });

  it("needs no history to be handled (the error is the callback's own)", async () => {
    const { client, location } = clientAt('https://app.example/', false);
    const state = new URL(await client.buildAuthorizeUrl()).searchParams.get('state')!;
    location.href = `${REDIRECT}?error=access_denied&state=${state}`;
    await expect(client.handleRedirectCallback()).rejects.toBeInstanceOf(AuthorizationError);
    client.destroy();
  });
});

describe('a callback URL that cannot be read', () => {
  it('says it is no absolute URL', async () => {
    const { client } = clientAt('https://app.example/');
    await expect(client.handleRedirectCallback('/callback?code=c&state=s')).rejects.toThrow(
      new InvalidResponseError('callback URL is not an absolute URL'),
    );
    client.destroy();
  });
});

describe('isCallbackUrl', () => {
  it('is false for anything that is no absolute URL at the redirect URI', () => {
    const { client } = clientAt('https://app.example/');
    expect(client.isCallbackUrl('not a url')).toBe(false);
    expect(client.isCallbackUrl(`${REDIRECT}?code=c&state=s&state=t`)).toBe(false);
    expect(client.isCallbackUrl('https://app.example/callback/more?code=c&state=s')).toBe(false);
    expect(client.isCallbackUrl('https://other.example/callback?code=c&state=s')).toBe(false);
    expect(client.isCallbackUrl(`${REDIRECT}?code=c&state=s#x`)).toBe(true);
    client.destroy();
  });
});
