import { createAuth0Client } from '@auth0/auth0-spa-js';
import { auth0Options, run, settings } from './harness.js';

const auth0 = await createAuth0Client(auth0Options);

await run({
  async start() {
    const query = new URLSearchParams(location.search);
    if (query.has('code') && query.has('state')) {
      await auth0.handleRedirectCallback();
      history.replaceState(null, '', location.pathname);
    }
    return (await auth0.isAuthenticated()) ? (await auth0.getUser())?.email : undefined;
  },
  login: () => auth0.loginWithRedirect(),
  accessToken: (fresh) => auth0.getTokenSilently(fresh ? { cacheMode: 'off' } : {}),
  logout: () => auth0.logout({ logoutParams: { returnTo: settings.here } }),
});
