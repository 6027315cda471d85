import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createApp, defineComponent, effectScope, h, nextTick, ref } from 'vue';
import type { AuthSnapshot } from '../src/client.js';
import { createAuth, useAuth } from '../src/index.js';
import { TestingAuthClient } from '../src/testing.js';
import { OptionsStatusView, StatusView } from './components.js';

/** Counts the listeners the binding holds on the client's `subscribe()`. */
class CountingClient extends TestingAuthClient {
  live = 0;

  override subscribe(listener: (snapshot: AuthSnapshot) => void): () => void {
    this.live++;
    const unsubscribe = super.subscribe(listener);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.live--;
      unsubscribe();
    };
  }
}

const emptyApp = (client: TestingAuthClient) =>
  createApp({ render: () => null }).use(createAuth(client, { checkSession: false }));

describe("useAuth()'s subscription", () => {
  it('lives while the effect scope that called useAuth() does, and follows each change until then', () => {
    const client = new CountingClient({ authenticated: false });
    const app = emptyApp(client);
    const scope = effectScope();
    const auth = app.runWithContext(() => scope.run(() => useAuth()))!;
    expect(client.live).toBe(1);

    client.setState({ status: 'authenticated', user: { sub: 'ada', name: 'Ada' } });
    expect(auth.isAuthenticated.value).toBe(true);
    expect(auth.user.value?.name).toBe('Ada');

    scope.stop();
    expect(client.live).toBe(0);
  });

  it('is shared by the scopes using it and ends with the last of them', () => {
    const client = new CountingClient({ authenticated: false });
    const app = emptyApp(client);
    const [first, second] = [effectScope(), effectScope()];
    app.runWithContext(() => first.run(() => useAuth()));
    const auth = app.runWithContext(() => second.run(() => useAuth()))!;
    expect(client.live).toBe(1);

    first.stop();
    expect(client.live).toBe(1);
    client.setState({ status: 'authenticated' });
    expect(auth.status.value).toBe('authenticated');

    second.stop();
    expect(client.live).toBe(0);
  });

  it('ends when the views using it are removed by v-if, and a view shown again reads the current state', async () => {
    const client = new CountingClient({ authenticated: false });
    const shown = ref(true);
    const Toggle = defineComponent({
      setup: () => () => (shown.value ? h('div', [h(StatusView), h(StatusView)]) : h('p', 'hidden')),
    });
    const wrapper = mount(Toggle, { global: { plugins: [createAuth(client, { checkSession: false })] } });
    expect(client.live).toBe(1);
    client.setState({ status: 'authenticated', user: { sub: 'ada', name: 'Ada' } });
    await nextTick();
    expect(wrapper.text()).toBe('authenticated|in|Adaauthenticated|in|Ada');

    shown.value = false;
    await nextTick();
    expect(client.live).toBe(0);

    // Pushed while nobody listened: the next view must not show the state it missed.
    client.setState({ status: 'unauthenticated' });
    shown.value = true;
    await nextTick();
    expect(client.live).toBe(1);
    expect(wrapper.text()).toBe('unauthenticated|out|unauthenticated|out|');
    wrapper.unmount();
    expect(client.live).toBe(0);
  });

  it('stays live outside any effect scope (a guard, app.runWithContext) until the app unmounts', () => {
    const client = new CountingClient({ authenticated: false });
    const app = emptyApp(client);
    app.mount(document.createElement('div'));
    const auth = app.runWithContext(() => useAuth());
    app.runWithContext(() => useAuth());
    expect(client.live).toBe(1);
    client.setState({ status: 'authenticated' });
    expect(auth.isAuthenticated.value).toBe(true);

    app.unmount();
    expect(client.live).toBe(0);
  });

  it("keeps $auth of the Options API live, and ends with the app's unmount", async () => {
    const client = new CountingClient({ authenticated: false });
    const wrapper = mount(OptionsStatusView, {
      global: { plugins: [createAuth(client, { checkSession: false })] },
    });
    expect(wrapper.text()).toBe('unauthenticated|');
    client.setState({ status: 'authenticated', user: { sub: 'bob', name: 'Bob' } });
    await nextTick();
    expect(wrapper.text()).toBe('authenticated|Bob');
    wrapper.unmount();
    expect(client.live).toBe(0);
  });
});
