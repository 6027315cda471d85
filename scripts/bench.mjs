// `pnpm bench [--filter=<pkg>] [--check]`: every package's benchmark, one at a time so they do not compete
// for the CPU. Turbo's own flags go to turbo; the rest (such as `--check`) to each package's bench.
import { spawnSync } from 'node:child_process';
import process from 'node:process';

const args = process.argv.slice(2);
const turbo = [];
const forwarded = [];
for (let i = 0; i < args.length; i++) {
  if (/^--(filter|affected)(=|$)/.test(args[i])) {
    turbo.push(args[i]);
    // `--filter <pkg>` takes the next argument as its value.
    if (args[i] === '--filter' && i + 1 < args.length) turbo.push(args[++i]);
  } else forwarded.push(args[i]);
}
const { status } = spawnSync(
  'turbo',
  ['run', 'bench', '--concurrency=1', ...turbo, ...(forwarded.length ? ['--', ...forwarded] : [])],
  // Like the root scripts' turbo calls: no telemetry (issue 2).
  {
    stdio: 'inherit',
    shell: process.platform === 'win32',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  },
);
process.exit(status ?? 1);
