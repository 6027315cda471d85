import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { Component } from 'vue';
import { returnFromIdp, SLOW, useDevIdp } from './callback-page.js';
import { PublicPage } from './components.js';
import { loadPage, returnDenied } from './page-load.js';

const devIdp = useDevIdp();

/** Adds the app's own query parameter and a hash to the callback address the browser came back to. */
function withAppParams(): void {
  const { pathname, search } = window.location;
  window.history.replaceState(null, '', `${pathname}${search}&tab=notes#top`);
}

/** A route component whose chunk arrives when the test says so. */
function lazyPage() {
  let arrive: (page: Component) => void = () => undefined;
  const load = () => new Promise<Component>((resolve) => (arrive = resolve));
  return { load, arrive: () => arrive(PublicPage) };
}

describe('the callback parameters leave the route once the callback is handled', () => {
  it('after a sign-in whose onRedirectCallback stays: the app keeps its own query and hash', async () => {
    await returnFromIdp(devIdp());
    withAppParams();
    const page = loadPage(devIdp(), { pluginOptions: { onRedirectCallback: () => undefined } });
    await page.plugin.ready;
    await vi.waitFor(() => expect(page.route().query).not.toHaveProperty('code'), SLOW);

    expect(page.route().fullPath).toBe('/callback?tab=notes#top');
    expect(page.route().query).toEqual({ tab: 'notes' });
    expect(window.location.pathname + window.location.search + window.location.hash).toBe(
      '/callback?tab=notes#top',
    );
    // The callback's history entry was replaced, not followed by another one.
    expect(window.history.length).toBe(page.historyLength);
    expect(page.wrapper.text()).toContain('authenticated|in|Alice Example');

    // The app navigates with the route's query: no one-time code goes back into the URL.
    await page.router.push({ query: { ...page.route().query, view: 'list' } });
    expect(new URL(window.location.href).searchParams.has('code')).toBe(false);
    expect(new URL(window.location.href).searchParams.has('state')).toBe(false);
    page.wrapper.unmount();
  });

  it('after a failed callback behind a global guard: the error stays on the page, no login starts', async () => {
    await returnDenied(devIdp());
    const page = loadPage(devIdp(), { guardEveryRoute: true });
    await page.plugin.ready;
    await vi.waitFor(() => expect(page.route().fullPath).toBe('/callback'), SLOW);

    expect(page.route().query).toEqual({});
    expect(window.location.search).toBe('');
    expect(page.wrapper.text()).toContain('error|out||authorization_error');
    expect(page.seen.navigations).toEqual([]);
    page.wrapper.unmount();
  });

  it('when a guard stops the way to returnTo: the callback page stays, without its parameters', async () => {
    await returnFromIdp(devIdp(), { returnTo: '/closed' });
    const page = loadPage(devIdp());
    await page.plugin.ready;
    await vi.waitFor(() => expect(page.route().fullPath).toBe('/callback'), SLOW);

    expect(window.location.search).toBe('');
    expect(page.wrapper.text()).toContain('authenticated|in|Alice Example');
    page.wrapper.unmount();
  });

  it('when onRedirectCallback navigates elsewhere without returning the navigation, that navigation wins', async () => {
    await returnFromIdp(devIdp());
    const page = loadPage(devIdp(), {
      pluginOptions: {
        onRedirectCallback: (_, app) =>
          void app.config.globalProperties.$router.push('/private/3?from=callback'),
      },
    });
    await page.plugin.ready;
    await vi.waitFor(() => expect(page.wrapper.text()).toContain('Private page of Alice Example'), SLOW);
    await flushPromises();

    expect(page.route().fullPath).toBe('/private/3?from=callback');
    expect(window.location.pathname + window.location.search).toBe('/private/3?from=callback');
    page.wrapper.unmount();
  });
});

describe('a lazily loaded callback page that arrives after the exchange', () => {
  it.each([
    ['code and state', 'a sign-in', () => returnFromIdp(devIdp()), 'authenticated|in|Alice Example'],
    ['error and state', 'a failed callback', () => returnDenied(devIdp()), 'authorization_error'],
  ])('does not write %s back into the address bar after %s', async (_params, _outcome, comeBack, shown) => {
    await comeBack();
    const chunk = lazyPage();
    const page = loadPage(devIdp(), {
      callbackPage: chunk.load,
      pluginOptions: { onRedirectCallback: () => undefined },
    });
    await page.plugin.ready;
    // The core cleaned the address bar while the router still waits for the page's chunk.
    await vi.waitFor(() => expect(window.location.search).toBe(''), SLOW);
    chunk.arrive();
    await page.router.isReady();
    await flushPromises();

    expect(window.location.search).toBe('');
    expect(page.route().fullPath).toBe('/callback');
    expect(page.wrapper.text()).toContain(shown);
    page.wrapper.unmount();
  });

  it('still goes to the route the login remembered', async () => {
    await returnFromIdp(devIdp(), { returnTo: '/private/8?tab=notes' });
    const chunk = lazyPage();
    const page = loadPage(devIdp(), { callbackPage: chunk.load });
    await vi.waitFor(() => expect(page.wrapper.text()).toContain('Private page of Alice Example'), SLOW);
    chunk.arrive();
    await flushPromises();

    expect(page.route().fullPath).toBe('/private/8?tab=notes');
    expect(window.location.pathname + window.location.search).toBe('/private/8?tab=notes');
    page.wrapper.unmount();
  });
});
