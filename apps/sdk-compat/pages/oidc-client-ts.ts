import { UserManager } from 'oidc-client-ts';
import { run, settings } from './harness.js';

const manager = new UserManager({
  authority: settings.issuer,
  client_id: settings.clientId,
  redirect_uri: settings.here,
  post_logout_redirect_uri: settings.here,
  scope: 'openid profile email offline_access read:appointments',
  extraQueryParams: { audience: settings.audience },
  // Revokes the access token, then the refresh token (RFC 7009), before leaving for the end-session endpoint.
  revokeTokensOnSignout: true,
});

async function user() {
  const current = await manager.getUser();
  if (current === null) throw new Error('not signed in');
  return current;
}

await run({
  async start() {
    if (new URLSearchParams(location.search).has('code')) {
      await manager.signinRedirectCallback();
      history.replaceState(null, '', location.pathname);
    }
    return (await manager.getUser())?.profile.email;
  },
  login: () => manager.signinRedirect(),
  async accessToken(fresh) {
    // With a refresh token, signinSilent renews through the token endpoint (no iframe).
    if (fresh) await manager.signinSilent();
    return (await user()).access_token;
  },
  logout: () => manager.signoutRedirect(),
});
