// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSSRApp } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { createAuth } from '../src/index.js';
import { OptionsStatusView, StatusView } from './components.js';

// What the core would read of a browser. `window` is not among them: its absence is how the plugin
// (like Vue) knows it runs on the server.
const BROWSER_GLOBALS = `self top document location history navigator
  sessionStorage localStorage indexedDB BroadcastChannel`.split(/\s+/);

const touched: string[] = [];
const saved = new Map<string, PropertyDescriptor | undefined>();

// Each global becomes a getter that records the read and answers "not here".
beforeEach(() => {
  touched.length = 0;
  for (const name of BROWSER_GLOBALS) {
    saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get: () => void touched.push(name),
    });
  }
});

afterEach(() => {
  for (const [name, descriptor] of saved) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else delete (globalThis as Record<string, unknown>)[name];
  }
  saved.clear();
});

const options = { issuer: 'https://idp.test/', clientId: 'spa', redirectUri: 'https://app.test/cb' };

describe('server-side rendering with createAuth(options)', () => {
  it.each([undefined, 'memory', 'session', 'local'] as const)(
    'creates the client, installs and renders useAuth() and $auth without reading a browser global (storage %s)',
    async (storage) => {
      expect(typeof window).toBe('undefined');
      const auth = createAuth({ ...options, storage });
      const html = await renderToString(createSSRApp(StatusView).use(auth));
      const optionsHtml = await renderToString(createSSRApp(OptionsStatusView).use(auth));

      expect(touched).toEqual([]);
      expect(html).toBe('<p data-test="status">unauthenticated|out|</p>');
      expect(optionsHtml).toBe('<p>unauthenticated|</p>');
      auth.client.destroy();
    },
  );

  it("keeps what the app gives in the client's environment", async () => {
    const memory = new Map<string, string>();
    const sessionStorage = {
      getItem: (key: string) => memory.get(key) ?? null,
      setItem: (key: string, value: string) => void memory.set(key, value),
      removeItem: (key: string) => void memory.delete(key),
    } as Storage;
    const navigations: string[] = [];
    const auth = createAuth({
      ...options,
      environment: { sessionStorage },
      navigate: (url) => void navigations.push(url),
      endpoints: { authorization: 'https://idp.test/authorize', token: 'https://idp.test/token' },
    });
    await renderToString(createSSRApp(StatusView).use(auth));
    // A login started on the server keeps its transaction in the storage the app gave.
    await auth.client.loginWithRedirect();
    expect(navigations).toHaveLength(1);
    expect(memory.size).toBe(1);
    expect(touched).toEqual([]);
    auth.client.destroy();
  });
});
