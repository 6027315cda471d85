import { describe, expect, it } from 'vitest';
import { createAuthClient, memoryStorage } from '@grantflow/core';
import { signIn } from '@grantflow/dev-idp';
import { NODE_ENVIRONMENT } from '../src/client.js';
import { listenOnLoopback } from '../src/index.js';
import { ALICE, devIdpForFile, statusOf } from './support.js';

// RFC 6749 §3.1.2 allows a query in a redirect URI; the server keeps it and adds the response's parameters.
const CALLBACK = '/cb?app=cli';
const started = devIdpForFile({
  clients: [
    { clientId: 'query-cli', applicationType: 'native', redirectUris: [`http://127.0.0.1${CALLBACK}`] },
  ],
});

describe('listenOnLoopback with a query in its path', () => {
  it('accepts only the callback that keeps the query', async () => {
    const listener = await listenOnLoopback(CALLBACK);
    try {
      expect(listener.redirectUri).toBe(`http://127.0.0.1:${listener.port}${CALLBACK}`);
      const waiting = listener.waitForCallback('s');
      const origin = `http://127.0.0.1:${listener.port}`;
      expect(await statusOf(`${origin}/cb?code=c&state=s`)).toBe(404);
      expect(await statusOf(`${origin}/cb?app=other&code=c&state=s`)).toBe(404);
      expect(await statusOf(`${origin}/cb?app=cli&app=cli&code=c&state=s`)).toBe(404);
      const answered = statusOf(`${origin}/cb?code=c&app=cli&state=s`);
      const accepted = await waiting;
      expect(new URL(accepted.url).searchParams.get('app')).toBe('cli');
      await accepted.respond({ status: 200, html: 'ok' });
      expect(await answered).toBe(200);
    } finally {
      await listener.close();
    }
  });

  it('signs in end to end at a provider that registered the redirect URI with its query', async () => {
    const listener = await listenOnLoopback(CALLBACK);
    let authorizeUrl = '';
    const client = createAuthClient({
      issuer: started.idp.issuer,
      clientId: 'query-cli',
      redirectUri: listener.redirectUri,
      environment: NODE_ENVIRONMENT,
      storage: memoryStorage(),
      transactionStorage: memoryStorage(),
      navigate: (url) => {
        authorizeUrl = url;
      },
    });
    try {
      await client.loginWithRedirect();
      expect(new URL(authorizeUrl).searchParams.get('redirect_uri')).toBe(listener.redirectUri);
      const waiting = listener.waitForCallback(new URL(authorizeUrl).searchParams.get('state') ?? '');
      const answered = signIn(authorizeUrl, ALICE).then((callback) => statusOf(callback));
      const accepted = await waiting;
      // The code exchange names the same redirect URI, query and all, as the provider requires.
      await client.handleRedirectCallback(accepted.url);
      await accepted.respond({ status: 200, html: 'signed in' });
      expect(await answered).toBe(200);
      expect(client.getSnapshot().user?.email).toBe(ALICE.email);
    } finally {
      await listener.close();
      client.destroy();
    }
  });
});
