import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { MissingAuthPluginError, useAuth } from '../src/index.js';
import { createTestingAuth } from '../src/testing.js';
import { OptionsStatusView, StatusView } from './components.js';

describe('useAuth', () => {
  it('renders the state of the provided client and follows each change it pushes', async () => {
    const auth = createTestingAuth({ authenticated: false });
    const wrapper = mount(StatusView, { global: { plugins: [auth] } });
    expect(wrapper.text()).toBe('unauthenticated|out|');

    auth.client.setState({ status: 'authenticated', user: { sub: 'alice', name: 'Alice' } });
    await nextTick();
    expect(wrapper.text()).toBe('authenticated|in|Alice');

    auth.client.setState({ status: 'refreshing' });
    await nextTick();
    expect(wrapper.text()).toBe('refreshing|in|Alice');
  });

  it('exposes the methods of the client, callable without `this`', async () => {
    const auth = createTestingAuth({ authenticated: false });
    const Login = defineComponent({
      setup() {
        const { loginWithRedirect } = useAuth();
        return () =>
          h('button', { onClick: () => loginWithRedirect({ appState: { returnTo: '/x' } }) }, 'Sign in');
      },
    });
    await mount(Login, { global: { plugins: [auth] } })
      .get('button')
      .trigger('click');
    expect(auth.client.calls.loginWithRedirect).toEqual([{ appState: { returnTo: '/x' } }]);
  });

  it('is reachable as $auth from the Options API, reactively', async () => {
    const auth = createTestingAuth({ user: { sub: 'bob', name: 'Bob' } });
    const wrapper = mount(OptionsStatusView, { global: { plugins: [auth] } });
    expect(wrapper.text()).toBe('authenticated|Bob');
    auth.client.setState({ status: 'unauthenticated' });
    await nextTick();
    expect(wrapper.text()).toBe('unauthenticated|');
  });

  it('throws a clear error when the plugin was not installed', () => {
    const quiet = { global: { config: { warnHandler: () => undefined } } };
    expect(() => mount(StatusView, quiet)).toThrow(MissingAuthPluginError);
    expect(() => mount(StatusView, quiet)).toThrow(/app\.use\(createAuth/);
  });

  it('throws a clear error when called outside setup()', () => {
    expect(() => useAuth()).toThrow(/inside setup\(\)/);
  });
});
