import { DEMO_USERS } from '@grantflow/dev-idp';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { useRouter } from 'vue-router';
import { useAuth, type AuthGuardOptions } from '../src/index.js';
import { SLOW, useDevIdp } from './callback-page.js';
import { loadPage } from './page-load.js';
import { signInAtIdp } from './sign-in.js';
import { signedOutVisit } from './signed-out-visit.js';

const devIdp = useDevIdp();
const alice = DEMO_USERS.find((u) => u.sub === 'alice')!;

/** The login options a signed-out visit to `/private/7?tab=notes` guarded with `options` starts. */
const loginStartedWith = async (options?: AuthGuardOptions) => (await signedOutVisit(options)).logins;

const REQUESTED = { returnTo: '/private/7?tab=notes', target: '/private/7?tab=notes' };

describe("the guard takes auth0-vue's redirectLoginOptions", () => {
  it('sends its authorizationParams and keeps its appState', async () => {
    const calls = await loginStartedWith({
      redirectLoginOptions: {
        authorizationParams: { screen_hint: 'signup', organization: 'org_1' },
        appState: { plan: 'pro' },
      },
    });
    expect(calls).toEqual([
      {
        authorizationParams: { screen_hint: 'signup', organization: 'org_1' },
        appState: { plan: 'pro', ...REQUESTED },
      },
    ]);
  });

  it("takes grantflow's loginOptions when both are given", async () => {
    const calls = await loginStartedWith({
      loginOptions: { authorizationParams: { screen_hint: 'login' } },
      redirectLoginOptions: { authorizationParams: { screen_hint: 'signup' } },
    });
    expect(calls).toEqual([{ authorizationParams: { screen_hint: 'login' }, appState: REQUESTED }]);
  });

  it('keeps an appState given in loginOptions too', async () => {
    const calls = await loginStartedWith({ loginOptions: () => ({ appState: { plan: 'free' } }) });
    expect(calls).toEqual([{ appState: { plan: 'free', ...REQUESTED } }]);
  });
});

/** auth0-vue's habit: the app's own callback page completes the login and follows `appState.target`. */
const OwnCallbackPage = defineComponent({
  setup() {
    const { handleRedirectCallback } = useAuth();
    const router = useRouter();
    void handleRedirectCallback().then(({ appState }) =>
      router.replace((appState as { target?: string } | undefined)?.target ?? '/'),
    );
    return () => h('p', 'Signing in…');
  },
});

describe("the guard's login remembers the route as auth0-vue's target too", () => {
  it('as returnTo and target', async () => {
    expect(await loginStartedWith()).toEqual([{ appState: REQUESTED }]);
  });

  it.each([[{ target: '/welcome' }], [{ returnTo: '/welcome' }]])(
    'keeps a path the app gave (%j), where both lead (auth0-vue lets its target win)',
    async (appState) => {
      const calls = await loginStartedWith({ loginOptions: { appState } });
      expect(calls).toEqual([{ appState: { returnTo: '/welcome', target: '/welcome' } }]);
    },
  );

  it('brings an app handling the callback itself (skipRedirectCallback) back to the guarded route', async () => {
    const before = loadPage(devIdp());
    await before.router.push('/private/4?tab=notes');
    await vi.waitFor(() => expect(before.seen.navigations).toHaveLength(1), SLOW);
    before.wrapper.unmount();

    const callback = await signInAtIdp(before.seen.navigations[0]!, alice);
    window.history.replaceState(null, '', callback.pathname + callback.search);
    const after = loadPage(devIdp(), {
      pluginOptions: { skipRedirectCallback: true },
      callbackPage: OwnCallbackPage,
    });
    await vi.waitFor(() => expect(after.wrapper.text()).toContain('Private page of Alice Example'), SLOW);
    expect(after.route().fullPath).toBe('/private/4?tab=notes');
    after.wrapper.unmount();
  });
});
