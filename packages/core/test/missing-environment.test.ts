import { describe, expect, it } from 'vitest';
import { hiddenIframe, popupWindow, UnsupportedEnvironmentError } from '../src/index.js';
import { OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const noRequest = () => Promise.reject(new TypeError('no request expected'));

/** Opt-in modules in a runtime without what they need (Node, a server render): the app's setup is wrong. */
describe('an opt-in module where the environment lacks what it needs', () => {
  it('popupWindow() without a window: loginWithPopup rejects with a TypeError naming it, no popup_blocked', async () => {
    const { client } = offlineClient({}, noRequest, {
      popup: popupWindow(),
      environment: { window: undefined },
    });
    for (const attempt of [client.loginWithPopup(), client.getAccessTokenWithPopup()]) {
      await expect(attempt).rejects.toBeInstanceOf(TypeError);
      await expect(attempt).rejects.toThrow('popupWindow() needs a window (environment.window)');
    }
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: undefined });
    client.destroy();
  });

  it('hiddenIframe() without a document: checkSession and getAccessToken reject with one typed error', async () => {
    const { client } = offlineClient({}, noRequest, {
      silentAuthorization: hiddenIframe(),
      environment: { document: undefined },
    });
    const restore = await client.checkSession().catch((error: unknown) => error);
    expect(restore).toBeInstanceOf(UnsupportedEnvironmentError);
    expect(restore).toMatchObject({
      code: 'unsupported_environment',
      message: 'a hidden iframe needs a document (environment.document)',
    });
    expect(client.getSnapshot()).toMatchObject({ status: 'error', error: restore });
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(UnsupportedEnvironmentError);
    client.destroy();
  });

  it('hiddenIframe() without a document ends no session: the stored one stays, its error typed', async () => {
    const stored = {
      claims: {},
      tokens: { [OFFLINE_TOKEN_KEY]: { access_token: 'old', expires_at: OFFLINE_NOW - 1 } },
    };
    const { client, storage } = offlineClient(stored, noRequest, {
      silentAuthorization: hiddenIframe(),
      environment: { document: undefined },
    });
    const before = await storage.get('grantflow.app.session');
    await client.checkSession();
    const renewing = client.getAccessToken();
    await expect(renewing).rejects.toBeInstanceOf(UnsupportedEnvironmentError);
    expect(client.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { sub: 'u' },
      error: { code: 'unsupported_environment' },
    });
    expect(await storage.get('grantflow.app.session')).toBe(before);
    client.destroy();
  });
});
