import { describe, expect, it } from 'vitest';
import { popupWindow } from '../src/index.js';
import { offlineClient } from './support.js';

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
});
