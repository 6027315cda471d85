import { createAuth0Client } from '@auth0/auth0-spa-js';
import { auth0SpaJsApp } from './auth0-spa-js-app.js';
import { auth0Options, run } from './harness.js';

// The SDK's defaults: no refresh tokens, tokens in memory. Renewal, and restoring the session on a
// page load (`createAuth0Client` runs `checkSession()`), are silent authorizations in a hidden iframe
// answered with `response_mode=web_message`; `loginWithPopup()` is answered the same way.
const auth0 = await createAuth0Client({
  ...auth0Options,
  useRefreshTokens: false,
  cacheLocation: 'memory',
});

await run(auth0SpaJsApp(auth0));
