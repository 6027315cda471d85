import { mount } from '@vue/test-utils';
import type { DevIdp } from '@grantflow/dev-idp';
import type { Component } from 'vue';
import { createRouter, createWebHistory, type Router } from 'vue-router';
import { createAuth, createAuthGuard, type AuthPluginOptions } from '../src/index.js';
import { CALLBACK, pageClient, startLogin } from './callback-page.js';
import { AppShell, PrivatePage, PublicPage } from './components.js';

export interface PageLoad {
  pluginOptions?: AuthPluginOptions;
  /** The callback route's component: a lazily loaded one is a function returning a promise. */
  callbackPage?: Component | (() => Promise<Component>);
  /** `router.beforeEach(createAuthGuard())`: every route guarded, the callback's too. */
  guardEveryRoute?: boolean;
}

/** A page load at this address, in an app with the callback route, a guarded one and an error page. */
export function loadPage(
  idp: DevIdp,
  { pluginOptions, callbackPage = PublicPage, guardEveryRoute = false }: PageLoad = {},
) {
  const { options, seen } = pageClient(idp);
  const plugin = createAuth(options, pluginOptions);
  const router: Router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', component: PublicPage },
      { path: '/callback', component: callbackPage },
      { path: '/private/:id', component: PrivatePage, beforeEnter: createAuthGuard() },
      // The app's own guard, closed to everyone.
      { path: '/closed', component: PrivatePage, beforeEnter: () => false },
      { path: '/error', component: PublicPage },
    ],
  });
  if (guardEveryRoute) router.beforeEach(createAuthGuard());
  const historyLength = window.history.length;
  const wrapper = mount(AppShell, { global: { plugins: [plugin, router] } });
  const route = () => router.currentRoute.value;
  return { plugin, router, seen, wrapper, route, historyLength };
}

/** The browser came back from the IdP with `access_denied` for a login this tab started. */
export async function returnDenied(idp: DevIdp): Promise<void> {
  const state = new URL(await startLogin(idp)).searchParams.get('state')!;
  const denied = new URL(CALLBACK);
  denied.search = new URLSearchParams({ error: 'access_denied', state, iss: idp.issuer }).toString();
  window.history.replaceState(null, '', denied.pathname + denied.search);
}
