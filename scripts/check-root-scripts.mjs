// Part of `pnpm lint`: every turbo run that a root script starts, directly or through a file in
// scripts/, has telemetry off (issue 2), so a new machine prints no telemetry notice; and `PORT=4720
// pnpm dev` moves the dev IdP, whose port the API and the demo follow, instead of handing PORT to every
// app (the dev IdP and the API each read it as their own port); `pnpm grantflow` follows it too.
import { readFileSync } from 'node:fs';
import { URL } from 'node:url';
import console from 'node:console';
import process from 'node:process';

const root = new URL('../', import.meta.url);
const { scripts } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const problems = [];

/** The commands of a script line, each as its leading `NAME=value` assignments and its program. */
function commands(line) {
  return line.split(/&&|\|\||;|\|/).map((command) => {
    const words = command.trim().split(/\s+/);
    const assignments = {};
    while (/^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? '')) {
      const [name, ...value] = words.shift().split('=');
      assignments[name] = value.join('=');
    }
    return { assignments, program: words[0], args: words.slice(1) };
  });
}

for (const [name, line] of Object.entries(scripts)) {
  for (const { assignments, program, args } of commands(line)) {
    if (program === 'turbo' && assignments.TURBO_TELEMETRY_DISABLED !== '1') {
      problems.push(`script "${name}" runs turbo without TURBO_TELEMETRY_DISABLED=1`);
    }
    if (
      program === 'turbo' &&
      args.includes('dev') &&
      assignments.IDP_PORT !== '${IDP_PORT:-${PORT:-4000}}'
    ) {
      problems.push(`script "${name}" runs the dev apps without IDP_PORT=\${IDP_PORT:-\${PORT:-4000}}`);
    }
    const file = program === 'node' && args[0]?.startsWith('scripts/') ? args[0] : undefined;
    const source = file === undefined ? '' : readFileSync(new URL(file, root), 'utf8');
    if (/\bspawn\w*\(\s*['"]turbo['"]/.test(source) && !/TURBO_TELEMETRY_DISABLED: '1'/.test(source)) {
      problems.push(`script "${name}" runs turbo through ${file} without TURBO_TELEMETRY_DISABLED: '1'`);
    }
    // The CLI's default issuer is the dev IdP: it follows IDP_PORT, then PORT, as `pnpm dev` does.
    if (
      /['"]packages\/node\/dist\/cli\.js['"]/.test(source) &&
      !/IDP_PORT: IDP_PORT \|\| PORT \|\| '4000'/.test(source)
    ) {
      problems.push(
        `script "${name}" runs the grantflow CLI through ${file} without IDP_PORT || PORT || '4000'`,
      );
    }
  }
  // pnpm's shell emulator applies `>&2` to its builtins only: an external program's stdout stays stdout.
  if (/\d?>&\d/.test(line)) {
    problems.push(
      `script "${name}" redirects with >&N, which pnpm's shell emulator ignores; use a scripts/ file`,
    );
  }
}
const turbo = JSON.parse(readFileSync(new URL('turbo.json', root), 'utf8').replace(/^\s*\/\/.*$/gm, ''));
if (turbo.tasks.dev.passThroughEnv.includes('PORT')) {
  problems.push('turbo.json must not pass PORT through to the dev apps (the root dev scripts set IDP_PORT)');
}
// `VAR=value command` is POSIX shell; pnpm's shell emulator makes it work in every shell.
if (!/^shellEmulator: true$/m.test(readFileSync(new URL('pnpm-workspace.yaml', root), 'utf8'))) {
  problems.push('pnpm-workspace.yaml must keep `shellEmulator: true` (the root scripts set variables)');
}

if (problems.length > 0) {
  console.error(`check-root-scripts:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-root-scripts: ${Object.keys(scripts).length} root scripts checked`);
