import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, isProxy, nextTick, reactive, ref } from 'vue';
import { useAuth, type UseAuthReturn } from '../src/index.js';
import { createTestingAuth } from '../src/testing.js';

/** Mounts a view of `plugin` and hands back what its `useAuth()` returned. */
function view(plugin: ReturnType<typeof createTestingAuth>): UseAuthReturn {
  let auth: UseAuthReturn | undefined;
  mount(defineComponent({ setup: () => void (auth = useAuth()), render: () => null }), {
    global: { plugins: [plugin] },
  });
  return auth!;
}

describe('the testing client takes a user or claims a test keeps in Vue state', () => {
  it('createTestingAuth({ user: reactive(...) }) shows a frozen plain copy, not the proxy', () => {
    const user = reactive({ sub: 'b', name: 'B', address: { country: 'NL' }, roles: ['admin'] });
    const plugin = createTestingAuth({ user });
    const shown = plugin.client.getSnapshot().user as typeof user;
    expect(shown).toEqual({ sub: 'b', name: 'B', address: { country: 'NL' }, roles: ['admin'] });
    expect(isProxy(shown) || isProxy(shown.address) || isProxy(shown.roles)).toBe(false);
    expect(Object.isFrozen(shown) && Object.isFrozen(shown.address) && Object.isFrozen(shown.roles)).toBe(
      true,
    );
    expect(view(plugin).user.value).toEqual(shown);
    // The test's own state stays its own to change, and changing it changes nothing shown.
    user.address.country = 'BE';
    user.roles.push('staff');
    expect(plugin.client.getSnapshot().user).toMatchObject({ address: { country: 'NL' }, roles: ['admin'] });
  });

  it('setState({ user: someRef.value, idTokenClaims: reactive(...) }) shows frozen plain copies', async () => {
    const plugin = createTestingAuth({ authenticated: false });
    const auth = view(plugin);
    const user = ref({ sub: 'ada', name: 'Ada', address: { country: 'NL' } });
    const claims = reactive({ sub: 'ada', iss: 'https://idp.example/', aud: ['app'], exp: 1, iat: 0 });
    plugin.client.setState({ isAuthenticated: true, user: user.value, idTokenClaims: claims });
    await nextTick();
    expect(auth.user.value).toEqual({ sub: 'ada', name: 'Ada', address: { country: 'NL' } });
    expect(auth.idTokenClaims.value).toEqual({ ...claims, aud: ['app'] });
    const shown = plugin.client.getSnapshot();
    expect(isProxy(shown.user) || isProxy(shown.idTokenClaims) || isProxy(shown.idTokenClaims?.aud)).toBe(
      false,
    );
    expect(Object.isFrozen(shown.user?.address) && Object.isFrozen(shown.idTokenClaims?.aud)).toBe(true);
    user.value.name = 'Ada L.';
    expect(plugin.client.getSnapshot().user?.name).toBe('Ada');
  });

  it('keeps other values as they are: a function, a URL, a date (neither cloned nor frozen)', () => {
    const picture = new URL('https://cdn.example/p.png');
    const greet = () => 'hi';
    const since = new Date(0);
    const plugin = createTestingAuth({ user: reactive({ sub: 'c', picture, greet, since }) as never });
    const shown = plugin.client.getSnapshot().user as unknown as {
      picture: URL;
      greet: () => string;
      since: Date;
    };
    expect(shown.picture).toBe(picture);
    expect(shown.greet).toBe(greet);
    expect(shown.since).toBe(since);
    expect(Object.isFrozen(shown)).toBe(true);
    expect(Object.isFrozen(picture) || Object.isFrozen(greet) || Object.isFrozen(since)).toBe(false);
  });

  it('copies a user that holds itself, once', () => {
    const user: { sub: string; self?: unknown } = reactive({ sub: 'd' });
    user.self = user;
    const shown = createTestingAuth({ user }).client.getSnapshot().user as typeof user;
    expect(shown.self).toBe(shown);
    expect(Object.isFrozen(shown)).toBe(true);
  });
});
