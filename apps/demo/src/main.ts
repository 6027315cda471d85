import { automaticRenewal, crossTabSync, hiddenIframe, popupWindow } from '@grantflow/core';
import { dpop } from '@grantflow/core/dpop';
import { createAuth } from '@grantflow/vue';
import { createApp } from 'vue';
import App from './App.vue';
import { API_SCOPES, config } from './config.js';
import { createDemoRouter } from './router.js';
import './style.css';

const auth = createAuth({
  issuer: config.issuer,
  clientId: config.clientId,
  audience: config.audience,
  redirectUri: `${window.location.origin}/callback`,
  scope: `openid profile email ${API_SCOPES.join(' ')}`,
  useRefreshTokens: true,
  storage: config.storage,
  leeway: config.leeway,
  // Opt-in modules: tabs share the session and renew under a Web Lock; without a stored refresh token
  // (memory storage), a reload restores the session through a hidden iframe.
  tabs: crossTabSync(),
  silentAuthorization: hiddenIframe(),
  // Sign-in in a popup window; the access token renewed `leeway` seconds before it expires, with
  // backoff while the IdP is unreachable and recovery on its own once it is back.
  popup: popupWindow(),
  renewal: automaticRenewal(),
  // DPoP (RFC 9449): tokens bound to a non-extractable key kept in IndexedDB, so a stolen access or
  // refresh token is useless elsewhere. VITE_DPOP=false signs in with plain Bearer tokens.
  ...(config.dpop ? { proof: dpop() } : {}),
});

// The auth plugin goes first so its callback handling / session check starts before the first route.
createApp(App).use(auth).use(createDemoRouter()).mount('#app');
