// Min+gzip size of the same minimal browser job (create a client, redirect to log in, handle the
// callback, get an access token) built with grantflow and with two established libraries, in one run.
import { build } from 'esbuild';
import console from 'node:console';
import { fileURLToPath, URL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));

const entries = {
  '@grantflow/core': `
    import { createAuthClient } from './dist/index.js';
    const client = createAuthClient({ domain: 'tenant.auth0.com', clientId: 'app', redirectUri: location.origin + '/' });
    export const login = () => client.loginWithRedirect();
    export const callback = () => client.handleRedirectCallback();
    export const token = () => client.getAccessToken();
  `,
  '@auth0/auth0-spa-js': `
    import { Auth0Client } from '@auth0/auth0-spa-js';
    const client = new Auth0Client({ domain: 'tenant.auth0.com', clientId: 'app', authorizationParams: { redirect_uri: location.origin + '/' } });
    export const login = () => client.loginWithRedirect();
    export const callback = () => client.handleRedirectCallback();
    export const token = () => client.getTokenSilently();
  `,
  'oidc-client-ts': `
    import { UserManager } from 'oidc-client-ts';
    const manager = new UserManager({ authority: 'https://tenant.auth0.com/', client_id: 'app', redirect_uri: location.origin + '/' });
    export const login = () => manager.signinRedirect();
    export const callback = () => manager.signinRedirectCallback();
    export const token = async () => (await manager.getUser())?.access_token;
  `,
};

async function measure(contents) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
const rows = [];
for (const [name, contents] of Object.entries(entries)) rows.push({ name, ...(await measure(contents)) });
const ours = rows[0];
console.log(
  'minimal browser entry: createAuthClient + loginWithRedirect + handleRedirectCallback + getAccessToken',
);
for (const { name, min, gzip } of rows) {
  const ratio = name === ours.name ? '' : `  (${(gzip / ours.gzip).toFixed(1)}x grantflow)`;
  console.log(`${name.padEnd(22)} min ${kb(min).padStart(10)}   min+gzip ${kb(gzip).padStart(9)}${ratio}`);
}
const target = 5 * 1024;
const verdict = ours.gzip < target ? 'met' : `missed by ${kb(ours.gzip - target)}`;
console.log(`grantflow target < ${kb(target)} min+gzip: ${verdict}`);
