#!/usr/bin/env bash
# "Before the packages are published" (docs/guide/unpublished.md), done for real: pack every package,
# install the tarballs in a scratch app outside the repository, type-check a file that imports them,
# and sign in against the dev IdP with an Express API verifying the token, from ESM and from CommonJS,
# and through the `grantflow` CLI; then install them with npm as the guide says.
# Needs a build first (`pnpm test` builds).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/tarballs" "$dir/app"

cd "$repo"
pnpm -r --filter './packages/*' pack --pack-destination "$dir/tarballs" >/dev/null

cd "$dir/app"
node - "$dir/tarballs" <<'NODE'
const { readdirSync, writeFileSync } = require('node:fs');
const tarballs = process.argv[2];
const deps = {};
for (const file of readdirSync(tarballs)) {
  const name = file.replace(/^grantflow-(.*)-\d+\.\d+\.\d+.*\.tgz$/, '@grantflow/$1');
  deps[name] = `file:${tarballs}/${file}`;
}
writeFileSync('package.json', JSON.stringify({
  name: 'scratch-app', private: true, type: 'module',
  // No vue-router: it is an optional peer, and an app without a router must compile against our types.
  dependencies: { ...deps, express: '^5.1.0', vue: '^3.5.0', typescript: '~6.0.3', '@types/express': '^5.0.0', '@types/node': '^20.19.0' },
}, null, 2));
// The packages' references to each other point at the tarballs too, as the guide says.
writeFileSync('pnpm-workspace.yaml', `overrides:\n${Object.entries(deps).map(([n, v]) => `  '${n}': '${v}'`).join('\n')}\n`);
NODE
pnpm install --silent --config.confirmModulesPurge=false >/dev/null

# Each tarball holds what the guide says the registry will get, the license its package.json names too.
for pkg in node_modules/@grantflow/*; do
  for file in dist README.md LICENSE package.json; do
    [ -e "$pkg/$file" ] || { echo "try-packed: $pkg has no $file" >&2; exit 1; }
  done
done

cat > uses-types.ts <<'TS'
import { createAuthClient, type AuthSnapshot } from '@grantflow/core';
import { createAuth, createAuthGuard } from '@grantflow/vue';
import { requireAuth, requireScopes } from '@grantflow/express';
import { startDevIdp, type DevIdp } from '@grantflow/dev-idp';
import { createNodeAuthClient } from '@grantflow/node';

const client = createAuthClient({ issuer: 'http://localhost:4000/', clientId: 'x', redirectUri: 'http://localhost:5173/callback' });
const status: AuthSnapshot['status'] = client.getSnapshot().status;
export const used = [createAuth, createAuthGuard, requireAuth, requireScopes('read'), startDevIdp, status, createNodeAuthClient] as const;
export type Idp = DevIdp;
TS
npx tsc --noEmit --strict --module nodenext --moduleResolution nodenext --skipLibCheck false --types node --lib es2023,dom uses-types.ts

cat > sign-in.mjs <<'JS'
import { DEFAULT_AUDIENCE, DEMO_USERS, issueTokens, startDevIdp } from '@grantflow/dev-idp';
import { requireAuth, requireScopes } from '@grantflow/express';
import express from 'express';

const idp = await startDevIdp({ port: 0, quiet: true });
const app = express();
app.get('/', requireAuth({ issuerBaseURL: idp.issuer, audience: DEFAULT_AUDIENCE }), requireScopes('read:appointments'), (_req, res) => res.json({ ok: true }));
const server = app.listen(0);
const { access_token } = await issueTokens(idp.issuer, DEMO_USERS[0]);
const response = await fetch(`http://localhost:${server.address().port}/`, { headers: { authorization: `Bearer ${access_token}` } });
server.close();
await idp.close();
if (response.status !== 200) throw new Error(`the API answered ${response.status}`);
JS
node sign-in.mjs
node -e "for (const p of ['core', 'vue', 'express', 'dev-idp', 'node']) require('@grantflow/' + p)"

# The `grantflow` bin from its tarball: a loopback login (the dev IdP's forms played over HTTP), then
# tokens the API accepts, with the token file in a config directory of its own. Access tokens live 20 s,
# less than the CLI's 60 s leeway: each `grantflow token` refreshes (a rotated refresh token each time).
cat > cli.mjs <<'JS'
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { DEFAULT_AUDIENCE, DEMO_USERS, signIn, startDevIdp } from '@grantflow/dev-idp';
import { requireAuth } from '@grantflow/express';
import express from 'express';

const idp = await startDevIdp({ port: 0, quiet: true, accessTokenTtl: 20 });
const env = { ...process.env, XDG_CONFIG_HOME: `${process.cwd()}/config`, IDP_PORT: String(idp.port) };
const login = spawn('node_modules/.bin/grantflow', ['login', '--no-browser'], { env });
let stderr = '';
let browsing;
login.stderr.on('data', (chunk) => {
  stderr += chunk;
  const url = /https?:\/\/\S+\/authorize\?\S+/.exec(stderr)?.[0];
  browsing ??= url && signIn(url, DEMO_USERS[0]).then((callback) => fetch(callback));
});
const code = await new Promise((resolve) => login.once('close', resolve));
await browsing;
if (code !== 0) throw new Error(`grantflow login failed:\n${stderr}`);
const tokenNow = async () => (await promisify(execFile)('node_modules/.bin/grantflow', ['token'], { env })).stdout.trim();
const first = await tokenNow();
const token = await tokenNow();
if (token === first) throw new Error('grantflow token did not refresh a token within its leeway');
const app = express();
app.get('/', requireAuth({ issuerBaseURL: idp.issuer, audience: DEFAULT_AUDIENCE }), (_req, res) => res.json({ ok: true }));
const server = app.listen(0);
const response = await fetch(`http://localhost:${server.address().port}/`, { headers: { authorization: `Bearer ${token}` } });
server.close();
await idp.close();
if (response.status !== 200) throw new Error(`the API answered ${response.status} to the CLI's token`);
JS
node cli.mjs
# The guide's npm route: the same overrides in package.json, the tarballs installed by their paths (npm
# refuses `npm add @grantflow/vue` while an override names it), every @grantflow package from a tarball.
mkdir -p "$dir/npm-app"
cd "$dir/npm-app"
node - <<'NODE'
const { readdirSync, writeFileSync } = require('node:fs');
const overrides = {};
for (const file of readdirSync('../tarballs')) {
  overrides[file.replace(/^grantflow-(.*)-\d+\.\d+\.\d+.*\.tgz$/, '@grantflow/$1')] = `file:../tarballs/${file}`;
}
writeFileSync('package.json', JSON.stringify({ name: 'scratch-npm-app', private: true, overrides }, null, 2));
NODE
npm install --silent --no-audit --no-fund ../tarballs/*.tgz
node - <<'NODE'
const lock = require('./package-lock.json');
const names = ['core', 'vue', 'express', 'dev-idp', 'node'];
for (const name of names) {
  const resolved = lock.packages[`node_modules/@grantflow/${name}`]?.resolved ?? '';
  if (!resolved.startsWith('file:../tarballs/')) throw new Error(`npm installed @grantflow/${name} from ${resolved}`);
  require(`@grantflow/${name}`);
}
const nested = Object.keys(lock.packages).filter((path) => /node_modules\/.*node_modules\/@grantflow\//.test(path));
if (nested.length > 0) throw new Error(`npm installed a second @grantflow copy: ${nested.join(', ')}`);
NODE
echo "try-packed: tarballs of $(ls "$dir/tarballs" | tr '\n' ' ')installed, type-checked and signed in (ESM + CJS, and the grantflow CLI), and installed with npm"
