// `pnpm grantflow <command>`: builds @grantflow/node, then runs its CLI. The CLI's stdout must carry only
// what the CLI prints, so `$(pnpm -s grantflow token)` is a token: turbo's output goes to stderr here,
// because a `>&2` in the script line is not applied by pnpm's shell emulator (`shellEmulator: true`).
import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import console from 'node:console';
import process from 'node:process';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Resolves with how the child ended: its exit code, or the signal that killed it. */
const ended = (child) =>
  new Promise((resolve) => {
    child.once('error', (error) => {
      console.error(`grantflow: could not start ${child.spawnfile}: ${error.message}`);
      resolve({ code: 1 });
    });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

/** Ends this process the way the child ended, so the shell sees the CLI's exit code or signal. */
function endLike({ code, signal }) {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
}

let current;
// Ctrl-C reaches every process of the terminal's foreground group, the child included: passing it on
// too would interrupt the CLI's own Ctrl-C handling (it exits 130). A SIGTERM or SIGHUP may be ours alone.
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => current?.kill(signal));

current = spawn('turbo', ['run', 'build', '--filter=@grantflow/node', '--output-logs=errors-only'], {
  cwd: root,
  stdio: ['ignore', 2, 2],
  shell: process.platform === 'win32',
  // Like the root scripts' turbo calls: no telemetry (issue 2). The repository's turbo also when this file
  // is run with plain `node`, outside pnpm.
  env: {
    ...process.env,
    PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`,
    TURBO_TELEMETRY_DISABLED: '1',
  },
});
const build = await ended(current);
if (build.code !== 0) endLike(build);

// Like `pnpm dev`: the CLI's default issuer is the dev IdP on IDP_PORT, else PORT, else 4000.
const { IDP_PORT, PORT } = process.env;
current = spawn(process.execPath, [join(root, 'packages/node/dist/cli.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, IDP_PORT: IDP_PORT || PORT || '4000' },
});
endLike(await ended(current));
