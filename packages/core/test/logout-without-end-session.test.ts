import { describe, expect, it } from 'vitest';
import { OFFLINE_ISSUER, offlineSignedIn } from './support.js';

// A server that offers no end-session endpoint (nor is Auth0): only the session here can end.
const endpoints = { authorization: `${OFFLINE_ISSUER}authorize`, token: `${OFFLINE_ISSUER}token` };

describe('logout at a server with no end-session endpoint', () => {
  it('ends the session here and goes to returnTo, as the app asked', async () => {
    const { client, navigations } = await offlineSignedIn({}, { endpoints });
    const before = navigations.length;
    await client.logout({ returnTo: 'https://app.example/bye' });
    expect(client.getSnapshot().isAuthenticated).toBe(false);
    expect(navigations.slice(before)).toEqual(['https://app.example/bye']);
  });

  it('goes to the client postLogoutRedirectUri, or the call openUrl, the same way', async () => {
    const signedIn = await offlineSignedIn(
      {},
      { endpoints, postLogoutRedirectUri: 'https://app.example/signed-out' },
    );
    const before = signedIn.navigations.length;
    await signedIn.client.logout();
    expect(signedIn.navigations.slice(before)).toEqual(['https://app.example/signed-out']);

    const opened: string[] = [];
    const other = await offlineSignedIn({}, { endpoints });
    await other.client.logout({
      returnTo: 'https://app.example/bye',
      openUrl: (url) => void opened.push(url),
    });
    expect(opened).toEqual(['https://app.example/bye']);
  });

  it('stays on the page without a returnTo, and with localOnly', async () => {
    for (const options of [{}, { returnTo: 'https://app.example/bye', localOnly: true }]) {
      const { client, navigations } = await offlineSignedIn({}, { endpoints });
      const before = navigations.length;
      await client.logout(options);
      expect(client.getSnapshot().isAuthenticated).toBe(false);
      expect(navigations.slice(before)).toEqual([]);
    }
  });
});
