import { defineComponent, h } from 'vue';
import { RouterView } from 'vue-router';
import { useAuth } from '../src/index.js';

/** Shows what a real view would: the status and who is signed in. */
export const StatusView = defineComponent({
  name: 'StatusView',
  setup() {
    const { status, isAuthenticated, user, error } = useAuth();
    return () =>
      h('p', { 'data-test': 'status' }, [
        `${status.value}|${isAuthenticated.value ? 'in' : 'out'}|${user.value?.name ?? ''}`,
        error.value ? `|${error.value.code}` : '',
      ]);
  },
});

/** What an app shows while the plugin starts, as an auth0-vue app does: `isLoading` first. */
export const LoadingView = defineComponent({
  name: 'LoadingView',
  setup() {
    const { isLoading, isAuthenticated } = useAuth();
    return () => h('p', isLoading.value ? 'loading' : isAuthenticated.value ? 'in' : 'out');
  },
});

/** The same through the Options API's `$auth`. */
export const OptionsStatusView = defineComponent({
  name: 'OptionsStatusView',
  render() {
    return h('p', `${this.$auth.status}|${this.$auth.user?.name ?? ''}`);
  },
});

export const AppShell = defineComponent({
  name: 'AppShell',
  setup: () => () => h('main', [h(StatusView), h(RouterView)]),
});

export const PrivatePage = defineComponent({
  name: 'PrivatePage',
  setup() {
    const { user } = useAuth();
    return () => h('h1', `Private page of ${user.value?.name ?? 'nobody'}`);
  },
});

export const PublicPage = defineComponent({
  name: 'PublicPage',
  setup: () => () => h('h1', 'Public page'),
});
