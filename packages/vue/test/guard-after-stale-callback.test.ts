import { createAuthClient } from '@grantflow/core';
import { DEMO_USERS, type DevIdp } from '@grantflow/dev-idp';
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { createRouter, createWebHistory } from 'vue-router';
import { createAuth, createAuthGuard } from '../src/index.js';
import { CALLBACK, pageClient, returnFromIdp, SLOW, useDevIdp } from './callback-page.js';
import { AppShell, PrivatePage, PublicPage } from './components.js';
import { loadPage } from './page-load.js';
import { signInAtIdp } from './sign-in.js';

const devIdp = useDevIdp();
const alice = DEMO_USERS.find((u) => u.sub === 'alice')!;

/** This page's address: a callback URL, as the browser (re)loads it. */
function visit(href: string): void {
  const url = new URL(href);
  window.history.replaceState(null, '', url.pathname + url.search);
}

/** A login started 31 minutes ago (its transaction, kept 30, has expired); its callback URL. */
async function expiredLoginCallback(idp: DevIdp): Promise<string> {
  const { options, seen } = pageClient(idp, { now: () => Date.now() - 31 * 60_000 });
  const client = createAuthClient(options);
  await client.loginWithRedirect();
  client.destroy();
  const state = new URL(seen.navigations[0]!).searchParams.get('state')!;
  return `${CALLBACK}?${new URLSearchParams({ code: 'late', state, iss: idp.issuer })}`;
}

/** The page load after a failed callback at `href`, once the failure shows. */
async function failedCallbackPage(href: string, code: string) {
  visit(href);
  const page = loadPage(devIdp());
  await page.plugin.ready;
  await vi.waitFor(() => expect(page.wrapper.text()).toContain(`error|out||${code}`), SLOW);
  return page;
}

describe('the guard after a stale callback URL', () => {
  it.each([
    [
      'unknown state (a reload, a bookmark, another tab)',
      'state_mismatch',
      async () => `${CALLBACK}?code=old&state=stale`,
    ],
    ['expired login', 'missing_transaction', () => expiredLoginCallback(devIdp())],
  ])('%s: a guarded route starts a login that comes back to it', async (_name, code, callback) => {
    const stale = await failedCallbackPage(await callback(), code);
    await stale.router.push('/private/5?tab=notes');
    await flushPromises();
    await vi.waitFor(() => expect(stale.seen.navigations).toHaveLength(1), SLOW);
    expect(stale.route().path).toBe('/callback');
    stale.wrapper.unmount();

    visit((await signInAtIdp(stale.seen.navigations[0]!, alice)).href);
    const back = loadPage(devIdp());
    await vi.waitFor(() => expect(back.wrapper.text()).toContain('Private page of Alice Example'), SLOW);
    expect(back.route().fullPath).toBe('/private/5?tab=notes');
    back.wrapper.unmount();
  });

  it.each([
    ['a redirect keeping the query', { path: '/callback', redirect: '/private/1' }],
    ['a redirect dropping it', { path: '/callback', redirect: () => ({ path: '/private/1', query: {} }) }],
    [
      'a guard answering a path',
      { path: '/callback', component: PublicPage, beforeEnter: () => '/private/1' },
    ],
  ] as const)('starts none on the page load itself (%s): it cannot loop', async (_name, callbackRoute) => {
    // Transactions that do not outlive the page (sessionStorage blocked): every callback is stale, so a
    // login started by the load would come back to the next load stale again, and so on.
    visit(`${CALLBACK}?code=old&state=stale`);
    const { options, seen } = pageClient(devIdp(), { transactionStorage: 'memory' });
    const plugin = createAuth(options);
    const router = createRouter({
      history: createWebHistory(),
      routes: [
        { path: '/', component: PublicPage },
        callbackRoute,
        { path: '/private/:id', component: PrivatePage, beforeEnter: createAuthGuard() },
      ],
    });
    const wrapper = mount(AppShell, { global: { plugins: [plugin, router] } });
    await plugin.ready;
    await vi.waitFor(() => expect(wrapper.text()).toContain('error|out||state_mismatch'), SLOW);
    await router.isReady().catch(() => undefined);
    await flushPromises();
    expect(seen.navigations).toEqual([]);

    // The visitor's own navigation from a page of the app still starts one.
    await router.push('/');
    await router.push('/private/2');
    await vi.waitFor(() => expect(seen.navigations).toHaveLength(1), SLOW);
    wrapper.unmount();
  });

  it('still starts none after the token endpoint refused the code: a new login would meet that again', async () => {
    const callback = new URL(await returnFromIdp(devIdp()));
    callback.searchParams.set('code', 'not-the-code');
    const page = await failedCallbackPage(callback.href, 'invalid_grant');

    await page.router.push('/private/1');
    await flushPromises();
    expect(page.seen.navigations).toEqual([]);
    expect(page.route().path).toBe('/callback');
    page.wrapper.unmount();
  });
});
