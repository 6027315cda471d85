import { crossTabSync, type AuthClientOptions } from '@grantflow/core';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createAuth } from '../src/index.js';
import { StatusView } from './components.js';

// Never contacted: `checkSession: false`, and nothing here signs in. Tab sync is what a destroyed client
// loses (its BroadcastChannel closes), so a logout shows whether the client in use is still alive.
const options: AuthClientOptions = {
  issuer: 'https://idp.test',
  clientId: 'spa',
  redirectUri: 'http://app.test/callback',
  tabs: crossTabSync(),
  navigate: () => {
    throw new Error('unexpected navigation');
  },
};

const mountApp = (plugin: ReturnType<typeof createAuth>) =>
  mount(StatusView, { global: { plugins: [plugin] } });

describe('the client a plugin created', () => {
  it('stays usable by one app while another app of the same plugin unmounts', async () => {
    const plugin = createAuth(options, { checkSession: false });
    const [first, second] = [mountApp(plugin), mountApp(plugin)];
    first.unmount();
    await expect(plugin.client.logout({ localOnly: true })).resolves.toBeUndefined();
    expect(second.text()).toBe('unauthenticated|out|');
    second.unmount();
  });

  it('is a working client again when the app is mounted after an unmount', async () => {
    const plugin = createAuth(options, { checkSession: false });
    const before = plugin.client;
    mountApp(plugin).unmount();
    const again = mountApp(plugin);
    expect(plugin.client).not.toBe(before);
    await expect(plugin.client.logout({ localOnly: true })).resolves.toBeUndefined();
    again.unmount();
  });
});
