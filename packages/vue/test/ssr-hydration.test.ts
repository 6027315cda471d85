import { createAuthClient } from '@grantflow/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSSRApp } from 'vue';
import { createAuth } from '../src/index.js';
import { LoadingView } from './components.js';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

describe('hydrating the markup the server rendered', () => {
  it('matches the first render in the browser: loading, with no hydration mismatch', async () => {
    const warnings: string[] = [];
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void warnings.push(args.join(' ')));
    const root = document.createElement('div');
    // What ssr.test.ts pins the server to render for this view.
    root.innerHTML = '<p>loading</p>';
    document.body.append(root);
    const client = createAuthClient({
      issuer: 'https://idp.test',
      clientId: 'spa',
      redirectUri: 'http://app.test/cb',
      fetch: () => new Promise(() => undefined),
    });
    const app = createSSRApp(LoadingView).use(createAuth(client));
    app.mount(root);
    expect(root.innerHTML).toBe('<p>loading</p>');
    expect(warnings.filter((line) => /hydration/i.test(line))).toEqual([]);
    app.unmount();
    client.destroy();
  });
});
