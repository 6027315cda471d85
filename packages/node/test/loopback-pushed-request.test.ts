import { describe, expect, it } from 'vitest';
import { devIdpForFile, httpBrowser, jwtPayload, tempDirs, testClient } from './support.js';

// A server that accepts only pushed authorization requests (RFC 9126 §5).
const started = devIdpForFile({ requirePushedAuthorizationRequests: true });
const tempDir = tempDirs();

describe('loginWithLoopback against a server that requires PAR (RFC 9126)', () => {
  it('pushes the request, sends the browser with only client_id and request_uri, and signs in', async () => {
    const dir = await tempDir();
    const { client, requests } = testClient(started.idp.issuer, dir);
    const browser = httpBrowser();
    // Long enough for a loaded machine; a login that never matched the callback would end here.
    const result = await client.login({
      openBrowser: browser.open,
      callbackTimeout: 15_000,
      print: () => {},
    });
    const { authorizeUrl, callback, status, html } = await browser.visit;

    expect([...authorizeUrl.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    const pushed = requests.find((request) => request.params.has('code_challenge'));
    expect(pushed?.params.get('state')).toBe(callback.searchParams.get('state'));
    expect(new URL(pushed?.params.get('redirect_uri') ?? '').hostname).toBe('127.0.0.1');
    expect(status).toBe(200);
    expect(html).toContain('You can close this tab');
    expect(jwtPayload(result.accessToken).sub).toBe('alice');
    expect(jwtPayload(await client.getAccessToken()).sub).toBe('alice');
  });
});
