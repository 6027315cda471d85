// Min+gzip size of the same app shapes built with grantflow and with the libraries users would pick
// instead, in one run. `--check` exits non-zero when grantflow misses a target; without it, it reports.
import { build } from 'esbuild';
import console from 'node:console';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
// The Vue adapter depends on this package, so it cannot be a dependency of it (a cycle): it is bundled
// from its source in the workspace, as an app's bundler would bundle its build.
const vue = fileURLToPath(new URL('../../vue/src/index.ts', import.meta.url));
const options = `{ domain: 'tenant.auth0.com', clientId: 'app', redirectUri: location.origin + '/', audience: 'https://api', useRefreshTokens: true }`;
const auth0Options = `{ domain: 'tenant.auth0.com', clientId: 'app', useRefreshTokens: true, authorizationParams: { redirect_uri: location.origin + '/', audience: 'https://api' } }`;

/** The same job on each side: redirect login, callback, tokens renewed with refresh tokens, state observed. */
const jobs = [
  {
    name: 'grantflow minimal',
    target: 5000,
    code: `
      import { createAuthClient } from '@grantflow/core';
      const client = createAuthClient(${options});
      export const watch = (listener) => client.subscribe(listener);
      export const login = () => client.loginWithRedirect();
      export const callback = () => client.handleRedirectCallback();
      export const token = () => client.getAccessToken();`,
  },
  {
    name: 'grantflow minimal + Vue',
    target: 6000,
    code: `
      import { createAuth, useAuth } from '${vue}';
      export const plugin = createAuth(${options});
      export const use = () => useAuth();`,
  },
  {
    name: 'grantflow everything + Vue',
    code: `
      import { automaticRenewal, crossTabSync, hiddenIframe, popupWindow } from '@grantflow/core';
      import { dpop } from '@grantflow/core/dpop';
      import { createAuth, createAuthGuard, useAuth, useAuthFetch } from '${vue}';
      export const plugin = createAuth({ ...${options}, storage: 'local', tabs: crossTabSync(), silentAuthorization: hiddenIframe(), popup: popupWindow(), renewal: automaticRenewal(), proof: dpop() });
      export const guard = createAuthGuard();
      export const use = () => [useAuth(), useAuthFetch()];`,
  },
  {
    name: '@auth0/auth0-spa-js',
    code: `
      import { Auth0Client } from '@auth0/auth0-spa-js';
      const client = new Auth0Client(${auth0Options});
      export const login = () => client.loginWithRedirect();
      export const callback = () => client.handleRedirectCallback();
      export const token = () => client.getTokenSilently();`,
  },
  {
    name: '@auth0/auth0-vue',
    code: `
      import { createAuth0, useAuth0 } from '@auth0/auth0-vue';
      export const plugin = createAuth0(${auth0Options});
      export const use = () => useAuth0();`,
  },
  {
    name: 'oidc-client-ts',
    code: `
      import { UserManager } from 'oidc-client-ts';
      const manager = new UserManager({ authority: 'https://tenant.auth0.com/', client_id: 'app', redirect_uri: location.origin + '/' });
      export const watch = (listener) => manager.events.addUserLoaded(listener);
      export const login = () => manager.signinRedirect();
      export const callback = () => manager.signinRedirectCallback();
      export const token = async () => (await manager.getUser())?.access_token;`,
  },
];

async function measure(contents) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // The app has Vue already: only what the auth library adds counts, on both sides.
    external: ['vue', 'vue-router'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

const rows = [];
for (const job of jobs) rows.push({ ...job, ...(await measure(job.code)) });
const minimal = rows[0].gzip;
console.log('bytes; vue and vue-router external; ratio = min+gzip / grantflow minimal');
for (const { name, min, gzip } of rows) {
  const ratio = (gzip / minimal).toFixed(2);
  console.log(
    `${name.padEnd(28)} min ${String(min).padStart(7)}   min+gzip ${String(gzip).padStart(6)}   ${ratio}x`,
  );
}
let missed = 0;
for (const { name, gzip, target } of rows.filter((row) => row.target)) {
  if (gzip > target) missed++;
  console.log(`target ${name} <= ${target} B: ${gzip <= target ? 'met' : `missed by ${gzip - target} B`}`);
}
if (process.argv.includes('--check') && missed > 0) process.exit(1);
