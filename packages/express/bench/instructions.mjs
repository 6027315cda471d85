// Instructions per request, counted by valgrind's callgrind: unlike req/s or CPU time, they hardly move
// when other processes compete for the machine, so they decide between two versions of the code.
// Each case runs in its own process under callgrind (bench/instructions-child.mjs): the middleware is
// driven with minimal requests (no Express, no HTTP), 50 at a time, and only the measured window is
// counted (callgrind_control zeroes the counters before it and dumps them after). Counts are split by
// thread: the JavaScript thread, libuv's thread pool (where node:crypto verifies the RSA signature for
// jose) and V8's helpers (garbage collection). V8's optimising compiler, which may still be at work in
// the window, is left out: it is a one-off cost, and the one count that varies from run to run.
// `baseline` is the harness alone (its requests and promises), subtracted from the JavaScript thread.
// BENCH_COUNT sets the requests per case (default 2,000); BENCH_CASES=a,b picks cases by name.
import { execFileSync, spawn } from 'node:child_process';
import console from 'node:console';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { startBenchIssuer } from './issuer.mjs';

const COUNT = Number(process.env.BENCH_COUNT ?? 2000);
const AUDIENCE = 'https://api.bench/things';
const CASES = {
  baseline: { variant: 'baseline', tokens: 'one' },
  'RSA-SHA256 verification alone (node:crypto)': { variant: 'rsa', tokens: 'new' },
  'library auth(), every token new': { variant: 'library', tokens: 'new' },
  'requireAuth(), every token new': { variant: 'grantflow', tokens: 'new' },
  'requireAuth(), one token repeated': { variant: 'grantflow', tokens: 'one' },
  'requireAuth(), 1,000 tokens rotating': { variant: 'grantflow', tokens: 'rotating' },
};
const only = process.env.BENCH_CASES?.split(',');

/** Inclusive instruction counts of the functions each thread starts in, from a callgrind dump. */
export function threadSplit(file) {
  const text = execFileSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const count = (pattern) => {
    const line = text.split('\n').find((l) => /^ *[\d,]+ /.test(l) && pattern.test(l));
    return line ? Number(line.trim().split(' ')[0].replaceAll(',', '')) : 0;
  };
  const total = count(/PROGRAM TOTALS/);
  const threadPool = count(/threadpool\.c:worker /);
  const helpers = count(/PlatformWorkerThread/);
  const compiler = count(/OptimizingCompileDispatcher::CompileTask::RunInternal/);
  return { main: total - threadPool - helpers, threadPool, gc: helpers - compiler, compiler };
}

function tokensFor(mint, kind) {
  // Never-seen tokens, so the miss path is optimised too before the window.
  const warm = Array.from({ length: 1000 }, mint);
  if (kind === 'one') return { warm, measured: [mint()], prime: true };
  if (kind === 'rotating') return { warm, measured: Array.from({ length: 1000 }, mint), prime: true };
  return { warm, measured: Array.from({ length: COUNT }, mint), prime: false };
}

function linesOf(stream) {
  return (async function* () {
    let buffered = '';
    for await (const data of stream) {
      buffered += data;
      let nl;
      while ((nl = buffered.indexOf('\n')) !== -1) {
        yield buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
      }
    }
  })();
}

/** Runs one case under callgrind; instructions per request of each thread group. */
async function count(setup, name, { variant, tokens }) {
  const { issuer, mint, dir, child } = setup;
  const file = join(dir, `${variant}-${tokens}.json`);
  writeFileSync(file, JSON.stringify(tokensFor(mint, tokens)));
  const out = join(dir, `${variant}-${tokens}.callgrind`);
  const args = [`--callgrind-out-file=${out}`, process.execPath, child, variant, issuer, AUDIENCE, file];
  const proc = spawn('valgrind', ['--tool=callgrind', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, COUNT: String(COUNT) },
  });
  let stderr = '';
  proc.stderr.on('data', (data) => (stderr += data));
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const lines = linesOf(proc.stdout);
  const expect = async (word) => {
    const { value } = await lines.next();
    if (value !== word) throw new Error(`${name}: expected ${word}, got ${value}\n${stderr}`);
  };
  await expect('READY');
  execFileSync('callgrind_control', ['--zero', String(proc.pid)], { stdio: 'ignore' });
  proc.stdin.write('go\n');
  await expect('DONE');
  execFileSync('callgrind_control', ['--dump', String(proc.pid)], { stdio: 'ignore' });
  proc.stdin.write('stop\n');
  await exited;
  const dumps = readdirSync(dir).filter((f) => f.startsWith(`${variant}-${tokens}.callgrind.`));
  if (dumps.length !== 1) throw new Error(`${name}: expected one dump, found ${dumps.join(', ')}`);
  const split = threadSplit(join(dir, dumps[0]));
  return Object.fromEntries(Object.entries(split).map(([k, v]) => [k, v / COUNT]));
}

async function main() {
  const { issuer, mint, close } = await startBenchIssuer(AUDIENCE);
  const setup = {
    issuer,
    mint,
    dir: mkdtempSync(join(tmpdir(), 'grantflow-instructions-')),
    child: fileURLToPath(new URL('./instructions-child.mjs', import.meta.url)),
  };
  const loads = [loadavg()[0]];
  const perRequest = {};
  for (const [name, spec] of Object.entries(CASES)) {
    if (only && name !== 'baseline' && !only.some((o) => name.includes(o))) continue;
    perRequest[name] = await count(setup, name, spec);
    loads.push(loadavg()[0]);
    console.log(
      `${name}: ${JSON.stringify(perRequest[name], (_k, v) => (typeof v === 'number' ? Math.round(v) : v))}`,
    );
  }
  close();
  const base = perRequest.baseline.main;
  const k = (value) => (value / 1000).toFixed(1);
  console.log(
    `\nThousands of instructions per request (callgrind, ${COUNT} requests per case; harness baseline` +
      ` subtracted; dumps in ${setup.dir}). 1-min load average ${Math.min(...loads).toFixed(2)} to` +
      ` ${Math.max(...loads).toFixed(2)}: counts do not depend on it.`,
  );
  console.table(
    Object.entries(perRequest)
      .filter(([name]) => name !== 'baseline')
      .map(([name, { main, threadPool, gc, compiler }]) => ({
        '': name,
        total: k(main - base + threadPool + gc),
        'JS thread': k(main - base),
        'thread pool': k(threadPool),
        'GC helpers': k(gc),
        '(JIT, left out)': k(compiler),
      })),
  );
}

function hasValgrind() {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (hasValgrind()) await main();
  else console.log('bench/instructions.mjs needs valgrind (apt-get install valgrind); skipped.');
}
