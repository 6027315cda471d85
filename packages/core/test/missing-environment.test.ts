import { describe, expect, it } from 'vitest';
import { hiddenIframe, popupWindow } from '../src/index.js';
import { OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const noRequest = () => Promise.reject(new TypeError('no request expected'));

/** Opt-in modules in a runtime without what they need (Node, a server render): the app's setup is wrong. */
describe('an opt-in module where the environment lacks what it needs', () => {
  it('hiddenIframe() without a document: checkSession rejects with the TypeError itself, not in the snapshot', async () => {
    const { client } = offlineClient({}, noRequest, {
      silentAuthorization: hiddenIframe(),
      environment: { document: undefined },
    });
    const check = client.checkSession();
    await expect(check).rejects.toBeInstanceOf(TypeError);
    await expect(check).rejects.toThrow('a hidden iframe needs a document (environment.document)');
    expect(client.getSnapshot()).toMatchObject({
      status: 'unauthenticated',
      isLoading: false,
      error: undefined,
    });
    const renewal = client.getAccessToken();
    await expect(renewal).rejects.toBeInstanceOf(TypeError);
    await expect(renewal).rejects.toThrow('a hidden iframe needs a document (environment.document)');
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: undefined });
    client.destroy();
  });

  it('hiddenIframe() without a document, signed in: a renewal rejects with the TypeError, the session stays as it was', async () => {
    const { client } = offlineClient(
      {
        claims: {},
        tokens: {
          [OFFLINE_TOKEN_KEY]: { access_token: 'at', expires_at: OFFLINE_NOW + 300_000, scope: 'openid' },
        },
      },
      noRequest,
      { silentAuthorization: hiddenIframe(), environment: { document: undefined } },
    );
    await client.checkSession();
    const renewal = client.getAccessToken({ cacheMode: 'off' });
    await expect(renewal).rejects.toBeInstanceOf(TypeError);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
    client.destroy();
  });

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
});
