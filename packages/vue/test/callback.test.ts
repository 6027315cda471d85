import type { AuthClientOptions } from '@grantflow/core';
import { DEFAULT_CLIENT_ID, DEMO_USERS, startDevIdp, type DevIdp } from '@grantflow/dev-idp';
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, watchEffect } from 'vue';
import { createRouter, createWebHistory } from 'vue-router';
import { createAuth, createAuthGuard, useAuth, type AuthPlugin, type UseAuthReturn } from '../src/index.js';
import { AppShell, PrivatePage, PublicPage } from './components.js';
import { signInAtIdp } from './sign-in.js';

const ORIGIN = window.location.origin;
const alice = DEMO_USERS.find((u) => u.sub === 'alice')!;
let idp: DevIdp;

beforeAll(async () => {
  idp = await startDevIdp({
    port: 0,
    quiet: true,
    redirectUris: [`${ORIGIN}/callback`],
    corsOrigins: [ORIGIN],
  });
});
afterAll(() => idp.close());
afterEach(() => {
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});

function clientOptions(navigate: (url: string) => void): AuthClientOptions {
  return {
    issuer: idp.issuer,
    clientId: DEFAULT_CLIENT_ID,
    redirectUri: `${ORIGIN}/callback`,
    storage: 'session',
    navigate,
  };
}

/** One page load of an app with a public home, the callback route and a guarded route. */
function loadPage(auth: AuthPlugin) {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', component: PublicPage },
      { path: '/callback', component: PublicPage },
      { path: '/private/:id', component: PrivatePage, beforeEnter: createAuthGuard() },
    ],
  });
  const wrapper = mount(AppShell, { global: { plugins: [auth, router] } });
  return { router, wrapper };
}

const noNavigation = () => {
  throw new Error('unexpected navigation');
};

// A page load signs in through the real IdP: generous on a loaded machine.
const slow = { timeout: 15_000 };

/** Visits a guarded route signed out; returns the authorization URL the guard sent the browser to. */
async function startLoginFromGuard(path: string): Promise<string> {
  let authorizeUrl: string | undefined;
  const page = loadPage(
    createAuth(
      clientOptions((url) => void (authorizeUrl = url)),
      { checkSession: false },
    ),
  );
  await page.router.push(path);
  await vi.waitFor(() => expect(authorizeUrl).toBeDefined(), slow);
  // the guard kept the visitor out
  expect(page.router.currentRoute.value.fullPath).toBe('/');
  page.wrapper.unmount();
  return authorizeUrl!;
}

describe('redirect callback handling', () => {
  it('completes the login on install and returns to the route the guard was asked for', async () => {
    const authorizeUrl = await startLoginFromGuard('/private/42?tab=notes');
    const callback = await signInAtIdp(authorizeUrl, alice);
    expect(callback.searchParams.get('code')).toBeTruthy();

    // The browser comes back to the callback URL: a new page load.
    window.history.replaceState(null, '', callback.pathname + callback.search);
    const auth = createAuth(clientOptions(noNavigation));
    const page = loadPage(auth);

    await vi.waitFor(() => expect(page.wrapper.text()).toContain('Private page of Alice Example'), slow);
    expect(page.router.currentRoute.value.fullPath).toBe('/private/42?tab=notes');
    expect(page.wrapper.text()).toContain('authenticated|in|Alice Example');
    const url = new URL(window.location.href);
    expect(url.searchParams.has('code') || url.searchParams.has('state')).toBe(false);
    page.wrapper.unmount();
  });

  it('shows a replayed callback as state_mismatch and stays signed out', async () => {
    const callback = await signInAtIdp(await startLoginFromGuard('/private/1'), alice);
    window.history.replaceState(null, '', callback.pathname + callback.search);
    const first = loadPage(createAuth(clientOptions(noNavigation)));
    // The first load signs in and follows returnTo; only the replay is under test.
    await vi.waitFor(() => expect(first.wrapper.text()).toContain('Private page of Alice Example'), slow);
    first.wrapper.unmount();
    sessionStorage.clear();

    window.history.replaceState(null, '', callback.pathname + callback.search);
    const page = loadPage(createAuth(clientOptions(noNavigation)));
    await vi.waitFor(() => expect(page.wrapper.text()).toContain('state_mismatch'), slow);
    expect(page.wrapper.text()).toContain('error|out|');
    expect(page.router.currentRoute.value.path).toBe('/callback');
    page.wrapper.unmount();
  });

  it('keeps a signed-in session when a stale callback URL is opened: state_mismatch beside it', async () => {
    const callback = await signInAtIdp(await startLoginFromGuard('/private/7'), alice);
    window.history.replaceState(null, '', callback.pathname + callback.search);
    const first = loadPage(createAuth(clientOptions(noNavigation)));
    await vi.waitFor(() => expect(first.wrapper.text()).toContain('Private page of Alice Example'), slow);
    first.wrapper.unmount();

    // The same tab opens a callback URL whose state it never issued (a bookmark, a pasted link).
    window.history.replaceState(null, '', '/callback?code=x&state=y');
    const page = loadPage(createAuth(clientOptions(noNavigation)));
    await vi.waitFor(() => expect(page.wrapper.text()).toContain('state_mismatch'), slow);
    expect(page.wrapper.text()).toContain('authenticated|in|Alice Example|state_mismatch');
    page.wrapper.unmount();
  });

  it('leaves a URL that is not our callback alone', async () => {
    window.history.replaceState(null, '', '/callback?code=someone-elses');
    const auth = createAuth(clientOptions(noNavigation), { checkSession: false });
    const handle = vi.spyOn(auth.client, 'handleRedirectCallback');
    const page = loadPage(auth);
    await flushPromises();

    expect(handle).not.toHaveBeenCalled();
    expect(window.location.search).toBe('?code=someone-elses');
    expect(page.wrapper.text()).toContain('unauthenticated|out|');
    page.wrapper.unmount();
  });
});

describe('isLoading while the plugin starts', () => {
  /** A page load whose view logs in as soon as it sees a settled visitor: auth0-vue's common pattern. */
  function loadPageThatLogsInWhenSignedOut(auth: AuthPlugin) {
    let seen: UseAuthReturn | undefined;
    const LoginWhenSignedOut = defineComponent({
      setup() {
        seen = useAuth();
        const { isLoading, isAuthenticated, loginWithRedirect } = seen;
        watchEffect(() => {
          if (!isLoading.value && !isAuthenticated.value) void loginWithRedirect().catch(() => undefined);
        });
        return () => h('p');
      },
    });
    const wrapper = mount(LoginWhenSignedOut, { global: { plugins: [auth] } });
    return { auth: seen!, wrapper };
  }

  it('is true from mount until the callback exchange is over, so nothing logs in again', async () => {
    const callback = await signInAtIdp(await startLoginFromGuard('/private/3'), alice);
    window.history.replaceState(null, '', callback.pathname + callback.search);
    const navigations: string[] = [];
    const plugin = createAuth(clientOptions((url) => void navigations.push(url)));
    const page = loadPageThatLogsInWhenSignedOut(plugin);

    expect(page.auth.isLoading.value).toBe(true);
    expect(page.auth.snapshot.value.isLoading).toBe(true);
    expect(page.wrapper.vm.$auth.isLoading).toBe(true);
    await plugin.ready;
    expect(page.auth.isLoading.value).toBe(false);
    expect(page.auth.isAuthenticated.value).toBe(true);
    expect(page.auth.user.value?.name).toBe('Alice Example');
    await flushPromises();
    expect(navigations).toEqual([]);
    page.wrapper.unmount();
  });

  it('is true before ready on a page load that restores the session', async () => {
    const navigations: string[] = [];
    const plugin = createAuth(clientOptions((url) => void navigations.push(url)));
    const page = loadPageThatLogsInWhenSignedOut(plugin);

    expect(page.auth.isLoading.value).toBe(true);
    await plugin.ready;
    // Nobody was signed in: once the check is over, the page's own effect starts the login.
    expect(page.auth.status.value).toBe('redirecting');
    await vi.waitFor(() => expect(navigations).toHaveLength(1), slow);
    expect(new URL(navigations[0]!).origin).toBe(new URL(idp.issuer).origin);
    page.wrapper.unmount();
  });
});
