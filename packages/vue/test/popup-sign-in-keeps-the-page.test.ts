import type { AuthStatus } from '@grantflow/core';
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick, onUnmounted, ref } from 'vue';
import { createAuth, useAuth, type UseAuthReturn } from '../src/index.js';
import { createTestingAuth, TestingAuthClient, type TestingAuthPlugin } from '../src/testing.js';

/** A promise the test settles. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

/** `useAuth()`, `$auth` and the snapshot as a mounted view sees them. */
function mountView(plugin: TestingAuthPlugin | ReturnType<typeof createAuth>) {
  let auth!: UseAuthReturn;
  const View = defineComponent({
    setup() {
      auth = useAuth();
      return () => h('p', `${auth.status.value}|${auth.isLoading.value}`);
    },
  });
  const wrapper = mount(View, { global: { plugins: [plugin] } });
  const seen = () => [auth.isLoading.value, auth.snapshot.value.isLoading, wrapper.vm.$auth.isLoading];
  return { auth, wrapper, seen };
}

describe('a popup sign-in keeps the page', () => {
  it('isLoading is false while the status is authorizing, after start-up (useAuth, snapshot, $auth)', async () => {
    const plugin = createTestingAuth({ authenticated: false });
    const { auth, wrapper, seen } = mountView(plugin);
    plugin.client.setState({ status: 'authorizing' });
    await nextTick();
    expect(auth.status.value).toBe('authorizing');
    expect(seen()).toEqual([false, false, false]);
    expect(wrapper.text()).toBe('authorizing|false');
  });

  it.each<AuthStatus>(['checking', 'redirecting', 'exchanging'])(
    'isLoading stays true while %s',
    async (status) => {
      const plugin = createTestingAuth({ authenticated: false });
      const { seen } = mountView(plugin);
      plugin.client.setState({ status });
      expect(seen()).toEqual([true, true, true]);
    },
  );

  it('isLoading is true during start-up, whatever the status', async () => {
    const client = new TestingAuthClient({ authenticated: false, status: 'authorizing' });
    const check = deferred();
    client.checkSession = () => check.promise;
    const plugin = createAuth(client);
    const { seen } = mountView(plugin);
    expect(seen()).toEqual([true, true, true]);
    check.resolve();
    await plugin.ready;
    expect(seen()).toEqual([false, false, false]);
  });

  it('auth0-vue\'s app shape: a page under v-if="!isLoading" stays mounted, with its state, through loginWithPopup()', async () => {
    const plugin = createTestingAuth({ authenticated: false });
    const popup = deferred();
    const client = plugin.client;
    client.loginWithPopup = async () => {
      client.setState({ status: 'authorizing' });
      await popup.promise;
      client.setState({ status: 'authenticated', isAuthenticated: true });
      return { appState: undefined };
    };
    let unmounts = 0;
    const Home = defineComponent({
      setup() {
        const { loginWithPopup } = useAuth();
        const draft = ref('');
        onUnmounted(() => unmounts++);
        return () => [
          h('input', {
            value: draft.value,
            onInput: (e: Event) => (draft.value = (e.target as HTMLInputElement).value),
          }),
          h('button', { onClick: () => void loginWithPopup() }, 'Sign in'),
        ];
      },
    });
    const App = defineComponent({
      setup() {
        const { isLoading } = useAuth();
        return () => h('div', isLoading.value ? [h('p', 'loading')] : [h(Home)]);
      },
    });
    const wrapper = mount(App, { global: { plugins: [plugin] } });
    await wrapper.get('input').setValue('half-typed text');
    await wrapper.get('button').trigger('click');
    expect(client.getSnapshot().status).toBe('authorizing');
    expect(wrapper.find('input').exists()).toBe(true);
    popup.resolve();
    await flushPromises();
    expect(client.getSnapshot().status).toBe('authenticated');
    expect(unmounts).toBe(0);
    expect((wrapper.get('input').element as HTMLInputElement).value).toBe('half-typed text');
  });
});
