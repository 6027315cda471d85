import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { createRouter, createWebHistory } from 'vue-router';
import { createAuth, type AuthPluginOptions } from '../src/index.js';
import { pageClient, returnFromIdp, SLOW, useDevIdp } from './callback-page.js';
import { AppShell, PrivatePage, PublicPage } from './components.js';

const devIdp = useDevIdp();

/** A page load at the callback URL whose `returnTo` route refuses to open; what reached `errorHandler`. */
function loadCallbackPage(pluginOptions?: AuthPluginOptions) {
  const errors: { error: unknown; info: string }[] = [];
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', component: PublicPage },
      { path: '/callback', component: PublicPage },
      {
        path: '/broken',
        component: PrivatePage,
        beforeEnter: () => {
          throw new Error('broken route');
        },
      },
    ],
  });
  const plugin = createAuth(pageClient(devIdp()).options, pluginOptions);
  const wrapper = mount(AppShell, {
    global: {
      plugins: [plugin, router],
      config: { errorHandler: (error, _instance, info) => void errors.push({ error, info }) },
    },
  });
  return { errors, plugin, wrapper };
}

describe('an error after a successful callback', () => {
  it("of the app's onRedirectCallback reaches the app's errorHandler, not an unhandled rejection", async () => {
    await returnFromIdp(devIdp());
    const page = loadCallbackPage({
      onRedirectCallback: () => {
        throw new Error('handler failed');
      },
    });
    await page.plugin.ready;
    await vi.waitFor(() => expect(page.errors).toHaveLength(1), SLOW);
    expect(page.errors[0]!.error).toMatchObject({ message: 'handler failed' });
    expect(page.errors[0]!.info).toMatch(/onRedirectCallback/);
    expect(page.wrapper.text()).toContain('authenticated|in|Alice Example');
    page.wrapper.unmount();
  });

  it("of the navigation to returnTo reaches the app's errorHandler, not an unhandled rejection", async () => {
    await returnFromIdp(devIdp(), { returnTo: '/broken' });
    const page = loadCallbackPage();
    await page.plugin.ready;
    await vi.waitFor(() => expect(page.errors).toHaveLength(1), SLOW);
    expect(page.errors[0]!.error).toMatchObject({ message: 'broken route' });
    expect(page.wrapper.text()).toContain('authenticated|in|Alice Example');
    page.wrapper.unmount();
  });
});
