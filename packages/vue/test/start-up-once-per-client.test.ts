import { mount } from '@vue/test-utils';
import { createAuthClient } from '@grantflow/core';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { createAuth, useAuth, type AuthPlugin, type UseAuthReturn } from '../src/index.js';
import { pageClient, returnFromIdp, SLOW, useDevIdp } from './callback-page.js';
import { StatusView } from './components.js';

const devIdp = useDevIdp();
const SIGNED_IN = 'authenticated|in|Alice Example';

const mountApp = (plugin: AuthPlugin) => mount(StatusView, { global: { plugins: [plugin] } });

describe('the callback of a page load, with several installs', () => {
  it('is exchanged once when one plugin is installed in two apps: both show the user', async () => {
    await returnFromIdp(devIdp());
    const { options, seen } = pageClient(devIdp());
    const plugin = createAuth(options);
    const apps = [mountApp(plugin), mountApp(plugin)];
    await vi.waitFor(() => apps.forEach((app) => expect(app.text()).toBe(SIGNED_IN)), SLOW);
    await plugin.ready;
    expect(seen.exchanges).toBe(1);
    apps.forEach((app) => app.unmount());
  });

  it('is exchanged once when two plugins share one client', async () => {
    await returnFromIdp(devIdp());
    const { options, seen } = pageClient(devIdp());
    const client = createAuthClient(options);
    const plugins = [createAuth(client), createAuth(client)];
    const apps = plugins.map(mountApp);
    await Promise.all(plugins.map((plugin) => plugin.ready));
    apps.forEach((app) => expect(app.text()).toBe(SIGNED_IN));
    expect(seen.exchanges).toBe(1);
    apps.forEach((app) => app.unmount());
    client.destroy();
  });

  it('keeps the user signed in when the app is unmounted and mounted again while the exchange runs', async () => {
    await returnFromIdp(devIdp());
    const { options, seen } = pageClient(devIdp());
    const plugin = createAuth(options);
    mountApp(plugin).unmount();
    const again = mountApp(plugin);
    await plugin.ready;
    await vi.waitFor(() => expect(again.text()).toBe(SIGNED_IN), SLOW);
    expect(seen.exchanges).toBe(1);
    expect(plugin.client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
    again.unmount();
  });
});

describe('getIdTokenClaims() through useAuth()', () => {
  it("gives the signed-in user's ID token claims with the raw ID token as __raw", async () => {
    await returnFromIdp(devIdp());
    let auth: UseAuthReturn | undefined;
    const Probe = defineComponent({
      setup() {
        auth = useAuth();
        return () => h('p');
      },
    });
    const plugin = createAuth(pageClient(devIdp()).options);
    const app = mount(Probe, { global: { plugins: [plugin] } });
    await plugin.ready;
    const claims = await auth!.getIdTokenClaims();
    expect(claims).toMatchObject({ sub: 'alice', iss: devIdp().issuer });
    const [, payload] = claims!.__raw!.split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({ sub: 'alice' });
    expect(claims).toMatchObject(auth!.idTokenClaims.value!);
    app.unmount();
  });
});
