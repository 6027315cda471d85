// `pnpm bench`: req/s and p99 of the same route with no auth (the ceiling), plain
// express-oauth2-jwt-bearer with one token repeated and with every token new, express-jwt + jwks-rsa,
// and @grantflow/express with one token repeated, 1,000 tokens rotating, and every token new: each
// "every token new" pair is sent the same never-seen tokens. Each round runs every variant once, back to back, each in
// a fresh server process pinned to core 0 (autocannon on core 1); ratios are taken within a round
// (paired) and their median over ROUNDS rounds is reported, with the machine's load. Loopback only.
// BENCH_VARIANTS=a,b picks variants (and the opt-in two-handlers: the same app shape, nothing
// verified); BENCH_PROFILE=1 adds one CPU-profiled run of plain and of grantflow, both sent every token
// new, and prints where their time goes. Every server warms up with the same number of requests.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import console from 'node:console';
import { availableParallelism, loadavg } from 'node:os';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import autocannon from 'autocannon';
import { startBenchIssuer } from './issuer.mjs';
import { breakdown } from './profile-breakdown.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const DURATION = Number(process.env.BENCH_SECONDS ?? 2);
const CONNECTIONS = 50;
const POOL = Number(process.env.BENCH_POOL ?? 24_000);
const AUDIENCE = 'https://api.bench/things';
const ALL_VARIANTS = [
  'ceiling',
  'plain',
  'plain-new',
  'express-jwt',
  'grantflow-repeated',
  'grantflow-rotating',
  'grantflow-new',
];
// Only when asked for: the app shape (two handlers) with nothing verified, the floor of the others.
const OPT_IN_VARIANTS = ['two-handlers'];
const VARIANTS = process.env.BENCH_VARIANTS
  ? [...ALL_VARIANTS, ...OPT_IN_VARIANTS].filter((v) =>
      ['ceiling', 'plain', ...process.env.BENCH_VARIANTS.split(',')].includes(v),
    )
  : ALL_VARIANTS;
const ROTATING = 1000;
// Every server warms up with the same number of requests (not seconds, which a loaded machine shortens),
// and a variant sent never-seen tokens warms its miss path with as many others, minted for it.
const WARMUP = 2000;
const CORES = availableParallelism();
const pinned = CORES > 1;

const { issuer, mint, close: closeIssuer } = await startBenchIssuer(AUDIENCE);
const started = Date.now();
const warmup = mint();
const pool = Array.from({ length: POOL }, mint);
const warmupNew = Array.from({ length: WARMUP }, mint);
console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (${availableParallelism()} cores)`,
);
console.log(`minted ${POOL} RS256 tokens in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const sentNew = (variant) => variant === 'grantflow-new' || variant === 'plain-new';

function tokensFor(variant) {
  if (variant === 'grantflow-rotating') return pool.slice(0, ROTATING);
  if (sentNew(variant)) return pool;
  return [pool[0]];
}

/** The same warm-up for every variant: JIT, discovery and JWKS; for the never-seen mixes, the miss path. */
function warmupFor(variant) {
  if (variant === 'grantflow-rotating') return [tokensFor(variant), 2 * ROTATING];
  return [sentNew(variant) ? warmupNew : [warmup], WARMUP];
}

// CPU time the server process used (Linux /proc; taskset execs node, so the pid is the server's).
// Requests per CPU-second is the throughput one dedicated core would give: unlike req/s, it hardly
// moves when other processes compete for the machine.
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

async function startServer(variant, profilePath) {
  const command = pinned ? 'taskset' : process.execPath;
  const args = [fileURLToPath(new URL('./server.mjs', import.meta.url)), variant, issuer, AUDIENCE];
  if (profilePath) args.push(profilePath);
  const child = spawn(command, pinned ? ['-c', '0', process.execPath, ...args] : args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (data) => resolve(Number(String(data).trim())));
    child.once('exit', (code) => reject(new Error(`${variant} server exited with ${code}`)));
  });
  return {
    pid: child.pid,
    startProfile: () => child.kill('SIGUSR2'),
    url: `http://127.0.0.1:${port}/things`,
    stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))),
  };
}

function load(url, tokens, duration, amount) {
  let next = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    ...(amount ? { amount } : { duration }),
    headers: { authorization: '' },
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          request.headers.authorization = `Bearer ${tokens[next++ % tokens.length]}`;
          return request;
        },
      },
    ],
  }).then((result) => ({ result, sent: next }));
}

if (pinned) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
const load1 = () => loadavg()[0];

/** One measured run of a variant in a fresh server; with `profilePath`, its window is CPU-profiled. */
async function measure(variant, profilePath) {
  const server = await startServer(variant, profilePath);
  try {
    // Rotating: the steady state of 1,000 users' tokens, each seen twice already, so in the cache.
    // First sightings are what "every token new" measures: its warm-up tokens are none of the pool's.
    const [warmTokens, warmRequests] = warmupFor(variant);
    await load(server.url, warmTokens, 0, warmRequests);
    if (profilePath) {
      server.startProfile();
      await sleep(200);
    }
    const cpuBefore = cpuSeconds(server.pid);
    const { result, sent } = await load(server.url, tokensFor(variant), DURATION);
    const requests = result.requests.total;
    const cpuPerRequest = (cpuSeconds(server.pid) - cpuBefore) / requests;
    if (result.non2xx || result.errors)
      console.warn(`  ${variant}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    if (sentNew(variant) && sent > pool.length)
      console.warn(`  ${variant}: pool exhausted, ${sent - pool.length} tokens repeated`);
    return { rps: result.requests.average, p99: result.latency.p99, capacity: 1 / cpuPerRequest, requests };
  } finally {
    await server.stop();
  }
}

const samples = Object.fromEntries(VARIANTS.map((v) => [v, []]));
const loads = [load1()];
for (let round = 1; round <= ROUNDS; round++) {
  for (const variant of VARIANTS) samples[variant].push(await measure(variant));
  loads.push(load1());
  console.log(`round ${round}/${ROUNDS} done (load average ${load1().toFixed(2)})`);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** Median over rounds of `variant / base` within each round (paired), for one measure. */
const paired = (variant, base, measure) =>
  median(samples[variant].map((s, i) => s[measure] / samples[base][i][measure]));

console.log(
  `\n${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} paired rounds${pinned ? ', app on core 0' : ''};` +
    ` 1-min load average ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)} on ${CORES} cores`,
);
console.table(
  VARIANTS.map((variant) => ({
    variant,
    'req/s': Math.round(median(samples[variant].map((s) => s.rps))),
    'p99 ms': median(samples[variant].map((s) => s.p99)),
    'x ceiling': paired(variant, 'ceiling', 'rps').toFixed(2),
    'x plain': paired(variant, 'plain', 'rps').toFixed(2),
    'req/CPU-s': Math.round(median(samples[variant].map((s) => s.capacity))),
    'CPU x ceiling': paired(variant, 'ceiling', 'capacity').toFixed(2),
    'CPU x plain': paired(variant, 'plain', 'capacity').toFixed(2),
  })),
);
console.log('req/s of every run, in order:');
for (const variant of VARIANTS)
  console.log(`  ${variant.padEnd(20)} ${samples[variant].map((s) => Math.round(s.rps)).join(' ')}`);
const check = (label, variant, base, factor) => {
  if (!samples[variant] || !samples[base]) return;
  const verdict = (ok) => (ok ? 'PASS' : 'MISS');
  const rps = paired(variant, base, 'rps');
  const cpu = paired(variant, base, 'capacity');
  console.log(
    `${verdict(rps >= factor)} ${label}: ${rps.toFixed(2)}x req/s (${verdict(cpu >= factor)} per CPU-second: ${cpu.toFixed(2)}x)`,
  );
};
check('every token new >= 1.15x plain (the same new tokens)', 'grantflow-new', 'plain-new', 1.15);
check('1,000 tokens rotating >= 0.9x no auth', 'grantflow-rotating', 'ceiling', 0.9);
check('one token repeated >= 0.9x no auth', 'grantflow-repeated', 'ceiling', 0.9);
// Verifying a token cannot beat answering without any: a ratio above 1x no auth says the machine's load
// moved within the rounds, and the verdicts above are noise.
const beyond = samples.ceiling
  ? VARIANTS.filter((v) => v !== 'ceiling' && paired(v, 'ceiling', 'rps') > 1.05)
  : [];
if (beyond.length) {
  console.log(
    `NOISY: ${beyond.join(', ')} came out above 1.05x no auth, which no auth layer can: the load moved ` +
      'during the rounds. Rerun on a quiet machine (or with more BENCH_ROUNDS) before reading the verdicts.',
  );
}

if (process.env.BENCH_PROFILE) {
  const dir = mkdtempSync(join(tmpdir(), 'grantflow-bench-'));
  const profiled = ['plain-new', 'grantflow-new'].map((variant) => {
    const path = join(dir, `${variant}.cpuprofile`);
    return { variant, path };
  });
  const columns = {};
  for (const { variant, path } of profiled) {
    const { requests, capacity } = await measure(variant, path);
    columns[variant] = { rows: breakdown(path, requests), total: 1e6 / capacity };
  }
  console.log(`\nWhere the time goes (µs of CPU per request; profiles in ${dir}):`);
  const names = columns['plain-new'].rows.map((row) => row.name);
  console.table([
    ...names.map((name, i) =>
      Object.fromEntries([
        ['', name],
        ...profiled.map(({ variant }) => [variant, columns[variant].rows[i].perRequest.toFixed(1)]),
      ]),
    ),
    Object.fromEntries([
      ['', 'whole process (all threads, /proc)'],
      ...profiled.map(({ variant }) => [variant, columns[variant].total.toFixed(1)]),
    ]),
  ]);
}
closeIssuer();
