// @vitest-environment node
import { createAuthClient } from '@grantflow/core';
import { describe, expect, it, vi } from 'vitest';
import { createSSRApp } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { createAuth } from '../src/index.js';
import { LoadingView, OptionsStatusView, StatusView } from './components.js';

describe('server-side rendering', () => {
  it('installs and renders the state without browser globals or lasting subscriptions', async () => {
    expect(typeof window).toBe('undefined');
    const client = createAuthClient({
      issuer: 'https://idp.test',
      clientId: 'spa',
      redirectUri: 'https://app.test/cb',
    });
    const subscribe = vi.spyOn(client, 'subscribe');
    const checkSession = vi.spyOn(client, 'checkSession');

    const app = createSSRApp(StatusView).use(createAuth(client));
    expect(await renderToString(app)).toBe('<p data-test="status">unauthenticated|out|</p>');
    expect(await renderToString(createSSRApp(OptionsStatusView).use(createAuth(client)))).toBe(
      '<p>unauthenticated|</p>',
    );
    // The browser's first render is loading (its start-up work to come): the server's markup matches it.
    expect(await renderToString(createSSRApp(LoadingView).use(createAuth(client)))).toBe('<p>loading</p>');
    // Without a session check the browser starts where the snapshot is, and so does the server.
    const unchecked = createSSRApp(LoadingView).use(createAuth(client, { checkSession: false }));
    expect(await renderToString(unchecked)).toBe('<p>out</p>');
    expect(subscribe).not.toHaveBeenCalled();
    expect(checkSession).not.toHaveBeenCalled();
    client.destroy();
  });
});
