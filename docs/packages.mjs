// The published packages and their entry points, read from each package.json's `exports`, so the API
// reference and the site's menu follow the code: a new package or subpath export appears by itself.
import { readFileSync, readdirSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';

const PACKAGES = new URL('../packages/', import.meta.url);

function distPath(target) {
  if (typeof target === 'string') return target;
  return distPath(target.import ?? target.default);
}

/**
 * `[{ name: '@grantflow/vue/testing', file: '/…/packages/vue/src/testing.ts' }, …]`; `./internal`, the
 * adapters' bridge to the core, only when `internal` is set.
 */
export function publishedEntryPoints({ internal = false } = {}) {
  const entries = [];
  for (const dir of readdirSync(PACKAGES).sort()) {
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(new URL(`${dir}/package.json`, PACKAGES), 'utf8'));
    } catch {
      continue;
    }
    if (pkg.private) continue;
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      if (subpath.endsWith('package.json') || (subpath === './internal' && !internal)) continue;
      const source = distPath(target)
        .replace(/^\.\/dist\//, 'src/')
        .replace(/\.c?js$/, '.ts');
      entries.push({
        name: `${pkg.name}${subpath.slice(1)}`,
        file: fileURLToPath(new URL(`${dir}/${source}`, PACKAGES)),
      });
    }
  }
  return entries;
}

/** Where the reference page of an entry point lives, e.g. `grantflow-vue-testing`. */
export function referenceSlug(name) {
  return name.replace(/^@/, '').replace(/[/]/g, '-');
}
