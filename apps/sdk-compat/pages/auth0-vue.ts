import { createAuth0, useAuth0 } from '@auth0/auth0-vue';
import { createApp, defineComponent, watch } from 'vue';
import { auth0Options, run, settings, type SdkApp } from './harness.js';

// The plugin handles the callback itself (`code` and `state` in the URL) as an auth0-vue app expects.
const plugin = createAuth0(auth0Options);

const App = defineComponent({
  setup() {
    const auth0 = useAuth0();
    const app: SdkApp = {
      start: () =>
        new Promise((resolve) => {
          const stop = watch(
            auth0.isLoading,
            (loading) => {
              if (loading) return;
              queueMicrotask(() => stop());
              resolve(auth0.isAuthenticated.value ? auth0.user.value?.email : undefined);
            },
            { immediate: true },
          );
        }),
      login: () => auth0.loginWithRedirect(),
      accessToken: (fresh) => auth0.getAccessTokenSilently(fresh ? { cacheMode: 'off' } : {}),
      logout: () => auth0.logout({ logoutParams: { returnTo: settings.here } }),
    };
    void run(app);
    return () => null;
  },
});

document.body.insertAdjacentHTML('beforeend', '<div id="app"></div>');
createApp(App).use(plugin).mount('#app');
