import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { createTestingAuth, TEST_USER } from '../src/testing.js';
import { StatusView } from './components.js';

const render = (plugin: ReturnType<typeof createTestingAuth>) =>
  mount(StatusView, { global: { plugins: [plugin] } });

describe('the testing plugin', () => {
  it('is ready as soon as it is installed: it has no start-up work', async () => {
    const plugin = createTestingAuth();
    const before = await Promise.race([
      plugin.ready.then(() => true),
      new Promise((r) => setTimeout(r, 0, false)),
    ]);
    expect(before).toBe(false);
    const wrapper = render(plugin);
    expect(wrapper.text()).toBe(`authenticated|in|${TEST_USER.name}`);
    const after = await Promise.race([
      plugin.ready.then(() => true),
      new Promise((r) => setTimeout(r, 0, false)),
    ]);
    expect(after).toBe(true);
  });
});

describe("the testing client's setState({ isAuthenticated })", () => {
  it('signs an anonymous fake in, as TEST_USER when no user was given', async () => {
    const plugin = createTestingAuth({ authenticated: false });
    const wrapper = render(plugin);
    expect(wrapper.text()).toBe('unauthenticated|out|');

    plugin.client.setState({ isAuthenticated: true });
    await nextTick();
    expect(wrapper.text()).toBe(`authenticated|in|${TEST_USER.name}`);
    expect(plugin.client.getSnapshot()).toMatchObject({ status: 'authenticated', isAuthenticated: true });
  });

  it('signs a signed-in fake out', async () => {
    const plugin = createTestingAuth({ user: { sub: 'ada', name: 'Ada' } });
    const wrapper = render(plugin);
    expect(wrapper.text()).toBe('authenticated|in|Ada');

    plugin.client.setState({ isAuthenticated: false });
    await nextTick();
    expect(wrapper.text()).toBe('unauthenticated|out|');
    await expect(plugin.client.getAccessToken()).rejects.toThrow(/not logged in/);

    plugin.client.setState({ isAuthenticated: true });
    await nextTick();
    expect(wrapper.text()).toBe('authenticated|in|Ada');
  });

  it('keeps a status that already says so, and a status given beside it wins', () => {
    const plugin = createTestingAuth({ status: 'refreshing' });
    plugin.client.setState({ isAuthenticated: true });
    expect(plugin.client.getSnapshot()).toMatchObject({ status: 'refreshing', isAuthenticated: true });

    plugin.client.setState({ status: 'checking', isAuthenticated: false });
    expect(plugin.client.getSnapshot()).toMatchObject({ status: 'checking', isLoading: true });
  });

  it('never shows a signed-in fake without a user, as the core never does', () => {
    const plugin = createTestingAuth();
    plugin.client.setState({ status: 'authenticated', user: undefined });
    expect(plugin.client.getSnapshot().user).toEqual(TEST_USER);
  });
});

describe("the testing client's loginWithRedirect", () => {
  it('keeps a session it starts over, as the core does: still signed in, with the user and a token', async () => {
    const plugin = createTestingAuth({ user: { sub: 'ada', name: 'Ada' } });
    await plugin.client.loginWithRedirect();
    expect(plugin.client.getSnapshot()).toMatchObject({
      status: 'redirecting',
      isAuthenticated: true,
      isLoading: true,
      user: { name: 'Ada' },
    });
    await expect(plugin.client.getAccessToken()).resolves.toBe('test-access-token');
  });

  it('is signed out when there was no session, also after a sign-out', async () => {
    const anonymous = createTestingAuth({ authenticated: false });
    await anonymous.client.loginWithRedirect();
    expect(anonymous.client.getSnapshot()).toMatchObject({ status: 'redirecting', isAuthenticated: false });

    const signedOut = createTestingAuth();
    signedOut.client.setState({ status: 'unauthenticated' });
    await signedOut.client.loginWithRedirect();
    expect(signedOut.client.getSnapshot()).toMatchObject({ status: 'redirecting', isAuthenticated: false });
    expect(signedOut.client.getSnapshot().user).toBeUndefined();
  });
});
