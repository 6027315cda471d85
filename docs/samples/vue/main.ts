import { createAuth, createAuthGuard } from '@grantflow/vue';
import { createApp } from 'vue';
import { createRouter, createWebHistory } from 'vue-router';
import App from './App.vue';
import CallbackPage from './CallbackPage.vue';
import HomePage from './HomePage.vue';
import ProfilePage from './ProfilePage.vue';

const env = import.meta.env;

const auth = createAuth({
  // Auth0: `domain: 'your-tenant.eu.auth0.com'`. Any OpenID provider: its issuer URL, exactly as its
  // discovery document spells it.
  ...(env.VITE_AUTH_DOMAIN ? { domain: env.VITE_AUTH_DOMAIN } : { issuer: env.VITE_AUTH_ISSUER! }),
  clientId: env.VITE_AUTH_CLIENT_ID,
  audience: env.VITE_API_AUDIENCE,
  redirectUri: `${window.location.origin}/callback`,
  scope: 'openid profile email read:appointments',
  useRefreshTokens: true,
  // 'memory' (the default) survives no reload; 'local' does, and shares the session with other tabs.
  // See "Choosing storage".
  storage: 'memory',
});

const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: HomePage },
    { path: '/callback', component: CallbackPage },
    {
      path: '/profile',
      component: ProfilePage,
      beforeEnter: createAuthGuard(),
      meta: { requiresAuth: true },
    },
  ],
});

// Install auth before the router: it starts finishing the callback (or restoring the session) at once.
createApp(App).use(auth).use(router).mount('#app');
