import type { Auth0Client } from '@auth0/auth0-spa-js';
import { settings, type SdkApp } from './harness.js';

/** What an auth0-spa-js app does with its client, whichever options created it. */
export function auth0SpaJsApp(auth0: Auth0Client): SdkApp {
  return {
    async start() {
      const query = new URLSearchParams(location.search);
      if (query.has('code') && query.has('state')) {
        await auth0.handleRedirectCallback();
        history.replaceState(null, '', location.pathname);
      }
      return (await auth0.isAuthenticated()) ? (await auth0.getUser())?.email : undefined;
    },
    login: () => auth0.loginWithRedirect(),
    async loginWithPopup() {
      // `?closePopup=false`: the app, not the SDK, closes the popup (auth0-spa-js's option).
      const closePopup = new URLSearchParams(location.search).get('closePopup') !== 'false';
      await auth0.loginWithPopup(undefined, { closePopup });
      return (await auth0.getUser())?.email;
    },
    accessToken: (fresh) => auth0.getTokenSilently(fresh ? { cacheMode: 'off' } : {}),
    logout: () => auth0.logout({ logoutParams: { returnTo: settings.here } }),
  };
}
