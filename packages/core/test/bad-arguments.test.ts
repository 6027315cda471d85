import { describe, expect, it } from 'vitest';
import { createAuthClient } from '../src/index.js';
import { createCodeVerifier, deriveCodeChallenge } from '../src/pkce.js';
import { resolveStorage } from '../src/storage.js';

/** A client where there is no page (no location): Node, a worker. */
const pageless = () =>
  createAuthClient({
    issuer: 'https://idp.example/',
    clientId: 'app',
    redirectUri: 'https://app.example/callback',
    environment: { location: undefined },
  });

// A bad argument is the caller's bug: a TypeError whose message says what is wrong.
describe('bad arguments', () => {
  it('to createCodeVerifier name the allowed lengths', () => {
    expect(() => createCodeVerifier(42)).toThrow(new TypeError('length must be 43..128'));
    expect(() => createCodeVerifier(129)).toThrow(new TypeError('length must be 43..128'));
  });

  it('to deriveCodeChallenge say the verifier is invalid', async () => {
    await expect(deriveCodeChallenge('too-short')).rejects.toThrow(new TypeError('invalid code verifier'));
    await expect(deriveCodeChallenge(`${'a'.repeat(43)} `)).rejects.toThrow(TypeError);
  });

  it('to resolveStorage name the unknown storage', () => {
    expect(() => resolveStorage('cookie' as never)).toThrow(new TypeError('unknown storage "cookie"'));
  });

  it('to handleRedirectCallback: no URL where there is no location to read it from', async () => {
    const client = pageless();
    const attempt = client.handleRedirectCallback();
    await expect(attempt).rejects.toBeInstanceOf(TypeError);
    await expect(attempt).rejects.toThrow('url is required');
    client.destroy();
  });

  it('popup sign-in without the popup module names the module, and no callback is forwarded', async () => {
    const client = pageless();
    const needsModule = 'popup sign-in needs the popup module: createAuthClient({ popup: popupWindow() })';
    await expect(client.loginWithPopup()).rejects.toThrow(new TypeError(needsModule));
    await expect(client.getAccessTokenWithPopup()).rejects.toThrow(new TypeError(needsModule));
    await expect(client.forwardPopupCallback('https://app.example/callback?code=c&state=s')).resolves.toBe(
      false,
    );
    client.destroy();
  });
});
