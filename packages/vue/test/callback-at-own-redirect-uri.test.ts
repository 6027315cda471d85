import { createAuthClient } from '@grantflow/core';
import { DEMO_USERS, startDevIdp, type DevIdp } from '@grantflow/dev-idp';
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRouter, createWebHistory } from 'vue-router';
import { createAuth, createAuthGuard, type AuthPluginOptions } from '../src/index.js';
import { CALLBACK, ORIGIN, pageClient, resetPage, SLOW } from './callback-page.js';
import { AppShell, PrivatePage, PublicPage, StatusView } from './components.js';
import { signInAtIdp } from './sign-in.js';

// A login that names its own redirect_uri (as auth0-vue apps do per call) comes back to this page.
const LINKED = `${ORIGIN}/linked`;
const alice = DEMO_USERS.find((u) => u.sub === 'alice')!;
let idp: DevIdp;

beforeAll(async () => {
  idp = await startDevIdp({ port: 0, quiet: true, redirectUris: [CALLBACK, LINKED], corsOrigins: [ORIGIN] });
});
afterAll(() => idp.close());
afterEach(resetPage);

/** Starts a login on an earlier page load, asking to come back to `redirect_uri`; returns its authorization URL. */
async function startLogin(redirect_uri: string, appState?: unknown): Promise<string> {
  const { options, seen } = pageClient(idp);
  const client = createAuthClient(options);
  await client.loginWithRedirect({ appState, authorizationParams: { redirect_uri } });
  client.destroy();
  return seen.navigations[0]!;
}

/** Alice signs in at the IdP; the browser comes back to the address the login named. */
async function returnTo(redirect_uri: string, appState?: unknown): Promise<URL> {
  const callback = await signInAtIdp(await startLogin(redirect_uri, appState), alice);
  window.history.replaceState(null, '', callback.pathname + callback.search);
  return callback;
}

/** A page load of an app with the client's callback route, the login's own one and a guarded route. */
function loadPage(pluginOptions?: AuthPluginOptions, guardEveryRoute = false) {
  const { options, seen } = pageClient(idp);
  const plugin = createAuth(options, pluginOptions);
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', component: PublicPage },
      { path: '/callback', component: PublicPage },
      { path: '/linked', component: PublicPage },
      { path: '/private/:id', component: PrivatePage, beforeEnter: createAuthGuard() },
    ],
  });
  if (guardEveryRoute) router.beforeEach(createAuthGuard());
  const wrapper = mount(AppShell, { global: { plugins: [plugin, router] } });
  return { plugin, router, seen, wrapper };
}

describe('a login that named its own redirect_uri', () => {
  it('is completed where it comes back, and the app goes on to its returnTo', async () => {
    await returnTo(LINKED, { returnTo: '/private/9' });
    const page = loadPage();
    await vi.waitFor(() => expect(page.wrapper.text()).toContain('Private page of Alice Example'), SLOW);
    expect(page.router.currentRoute.value.fullPath).toBe('/private/9');
    expect(page.seen.exchanges).toBe(1);
    expect(window.location.search).toBe('');
    page.wrapper.unmount();
  });

  it('goes through a guard on every route without a login of its own, and loses code and state', async () => {
    await returnTo(LINKED);
    const page = loadPage({ onRedirectCallback: () => undefined }, true);
    await page.plugin.ready;
    await page.router.isReady();
    await vi.waitFor(() => expect(page.wrapper.text()).toContain('authenticated|in|Alice Example'), SLOW);
    await flushPromises();
    expect(page.seen.navigations).toEqual([]);
    expect(page.router.currentRoute.value.fullPath).toBe('/linked');
    expect(window.location.pathname + window.location.search).toBe('/linked');
    page.wrapper.unmount();
  });

  it('is left to the app with skipRedirectCallback', async () => {
    const callback = await returnTo(LINKED);
    const page = loadPage({ skipRedirectCallback: true });
    await page.plugin.ready;
    await flushPromises();
    expect(page.seen.exchanges).toBe(0);
    expect(window.location.search).toBe(callback.search);
    expect(page.wrapper.text()).toContain('unauthenticated|out|');
    // The app completes it itself.
    await page.plugin.client.handleRedirectCallback(callback.href);
    expect(page.plugin.client.getSnapshot().isAuthenticated).toBe(true);
    page.wrapper.unmount();
  });
});

describe('an address shaped like a callback that answers no pending login of that address', () => {
  it('keeps a signed-in session and leaves the URL alone (a stale or foreign code and state)', async () => {
    await returnTo(LINKED);
    const first = loadPage();
    await vi.waitFor(() => expect(first.wrapper.text()).toContain('authenticated|in|Alice Example'), SLOW);
    first.wrapper.unmount();

    window.history.replaceState(null, '', '/linked?code=x&state=y');
    const page = loadPage();
    await page.plugin.ready;
    await flushPromises();
    expect(page.wrapper.text()).toContain('authenticated|in|Alice Example');
    expect(page.wrapper.text()).not.toContain('state_mismatch');
    expect(page.seen.exchanges).toBe(0);
    expect(window.location.search).toBe('?code=x&state=y');
    page.wrapper.unmount();
  });

  it("is not completed with the state of a login that asked to come back to the client's redirectUri", async () => {
    const authorize = new URL(await startLogin(CALLBACK));
    const state = authorize.searchParams.get('state')!;
    window.history.replaceState(null, '', `/linked?code=x&state=${state}`);
    const page = loadPage();
    await page.plugin.ready;
    await flushPromises();
    expect(page.seen.exchanges).toBe(0);
    expect(page.wrapper.text()).toContain('unauthenticated|out|');
    // That login's transaction is still there for its own callback.
    await expect(page.plugin.client.isLoginCallback!(`${CALLBACK}?code=x&state=${state}`)).resolves.toBe(
      true,
    );
    page.wrapper.unmount();
  });

  it("restores the session as usual when the app's client object fails to answer", async () => {
    window.history.replaceState(null, '', '/linked?code=x&state=y');
    const client = createAuthClient(pageClient(idp).options);
    vi.spyOn(client, 'isLoginCallback').mockRejectedValue(new Error('storage unavailable'));
    const checkSession = vi.spyOn(client, 'checkSession');
    const plugin = createAuth(client);
    const page = mount(StatusView, { global: { plugins: [plugin] } });
    await plugin.ready;
    await flushPromises();
    expect(checkSession).toHaveBeenCalledOnce();
    expect(page.text()).toContain('unauthenticated|out|');
    page.unmount();
    client.destroy();
  });
});
