import { popupWindow } from '@grantflow/core';
import { createAuth, createAuthGuard } from '@grantflow/vue';
import { createApp } from 'vue';
import { createRouter, createWebHashHistory } from 'vue-router';
import App from './App.vue';
import HomePage from './HomePage.vue';
import ProfilePage from './ProfilePage.vue';

const env = import.meta.env;

const auth = createAuth({
  issuer: env.VITE_AUTH_ISSUER!,
  clientId: env.VITE_AUTH_CLIENT_ID,
  // The app's base URL, as registered at the provider: a redirect URI has no fragment.
  redirectUri: `${window.location.origin}/`,
  // For a sign-in from inside a cross-site iframe (below).
  popup: popupWindow(),
});

// Embedded in another site's page, a redirect sign-in cannot happen: the page offers `loginWithPopup()`.
const framed = window.self !== window.top;
async function signedIn() {
  await auth.ready;
  return auth.client.getSnapshot().isAuthenticated;
}

const router = createRouter({
  // The base path: with a `<base>` element, vue-router would otherwise write the callback's query back.
  history: createWebHashHistory('/'),
  routes: [
    { path: '/', component: HomePage },
    {
      path: '/profile',
      component: ProfilePage,
      meta: { requiresAuth: true },
      beforeEnter: framed ? signedIn : createAuthGuard(),
    },
  ],
});

createApp(App).use(auth).use(router).mount('#app');
