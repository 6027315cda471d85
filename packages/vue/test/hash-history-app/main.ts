// The app the hash-history browser test builds: vue-router's hash history, redirect URI at the app's root.
import { createApp, defineComponent, h, shallowRef } from 'vue';
import { RouterView, createRouter, createWebHashHistory } from 'vue-router';
import { createAuth, createAuthGuard, useAuth } from '../../src/index.js';

// Set by the test's build: its dev IdP and client.
declare const __ISSUER__: string;
declare const __CLIENT_ID__: string;

const page = (name: string) =>
  defineComponent({ name, render: () => h('p', { 'data-testid': 'route' }, name) });

const Root = defineComponent({
  setup() {
    const auth = useAuth();
    const started = shallowRef(false);
    void auth.ready.then(() => (started.value = true));
    // One line the test reads once the start-up (callback exchange or session check) is over.
    const summary = () =>
      `${auth.status.value} ${auth.user.value?.email ?? 'nobody'} ${auth.error.value?.code ?? 'no error'}`;
    return () =>
      h('main', [
        h('output', { 'data-testid': 'auth' }, started.value ? summary() : 'starting'),
        h(RouterView),
      ]);
  },
});

const app = createApp(Root).use(
  createAuth({
    issuer: __ISSUER__,
    clientId: __CLIENT_ID__,
    redirectUri: `${location.origin}/`,
    storage: 'local',
  }),
);
// Created once the plugin has read the callback URL: the router's first navigation writes `#/`, then
// `#/home`, while the code exchange runs.
const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/home' },
    { path: '/home', component: page('home') },
    { path: '/profile', component: page('profile'), beforeEnter: createAuthGuard() },
  ],
});
app.use(router).mount('#app');
