import { createAuthClient } from '@grantflow/core';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent } from 'vue';
import { createAuth, useAuth, type UseAuthReturn } from '../src/index.js';
import { createTestingAuth, TEST_USER } from '../src/testing.js';
import { pageClient, returnFromIdp, useDevIdp } from './callback-page.js';

const devIdp = useDevIdp();

describe("useAuth()'s user and idTokenClaims", () => {
  it("refuse deep writes: the client's session keeps what the ID token said", async () => {
    await returnFromIdp(devIdp());
    const client = createAuthClient(pageClient(devIdp()).options);
    const plugin = createAuth(client);
    let auth: UseAuthReturn | undefined;
    const View = defineComponent({ setup: () => void (auth = useAuth()), render: () => null });
    const wrapper = mount(View, { global: { plugins: [plugin] } });
    await plugin.ready;
    expect(auth!.isAuthenticated.value).toBe(true);
    const name = client.getSnapshot().user?.name;
    expect(name).toBe('Alice Example');

    const user = auth!.user.value as { name?: string };
    const claims = auth!.idTokenClaims.value as { sub: string };
    expect(() => (user.name = 'Mallory')).toThrow(TypeError);
    expect(() => (claims.sub = 'mallory')).toThrow(TypeError);
    expect(client.getSnapshot().user?.name).toBe(name);
    expect(client.getSnapshot().idTokenClaims?.sub).toBe('alice');
    wrapper.unmount();
  });

  it('refuse deep writes with the testing client too, which keeps the state the test set', () => {
    const ada = { sub: 'ada', name: 'Ada', address: { country: 'NL' } };
    const plugin = createTestingAuth({ user: ada });
    let auth: UseAuthReturn | undefined;
    mount(defineComponent({ setup: () => void (auth = useAuth()), render: () => null }), {
      global: { plugins: [plugin] },
    });
    const user = auth!.user.value as typeof ada;
    expect(() => (user.address.country = 'XX')).toThrow(TypeError);
    expect(plugin.client.getSnapshot().user).toEqual(ada);
    // The object the test handed in stays its own to change.
    ada.name = 'Ada L.';
    expect(plugin.client.getSnapshot().user?.name).toBe('Ada');

    plugin.client.setState({ user: ada });
    expect(() => ((auth!.user.value as typeof ada).name = 'Mallory')).toThrow(TypeError);
    expect(plugin.client.getSnapshot().user?.name).toBe('Ada L.');
    expect(() => ((TEST_USER as { name?: string }).name = 'Mallory')).toThrow(TypeError);
  });
});
