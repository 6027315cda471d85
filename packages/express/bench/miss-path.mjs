// `pnpm bench` (miss path): the CPU cost of verifying a never-seen token, without Express or HTTP
// around it, in one process: the RSA signature check alone (node:crypto), express-oauth2-jwt-bearer's
// `auth()` middleware alone, and `requireAuth()` (which calls that middleware). Each round measures
// the three back to back on fresh tokens, in a rotating order; medians of the rounds. Pinned to one core when there are two.
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import console from 'node:console';
import { verify } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import process from 'node:process';
import { auth } from 'express-oauth2-jwt-bearer';
import { requireAuth } from '@grantflow/express';
import { through } from './fake-request.mjs';
import { startBenchIssuer } from './issuer.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const PER_ROUND = Number(process.env.BENCH_MISS_TOKENS ?? 3000);
const CONCURRENCY = 50;
const AUDIENCE = 'https://api.bench/things';

const { issuer, mint, publicKey, close } = await startBenchIssuer(AUDIENCE);

const variants = {
  'RSA verify alone': async (token) => {
    const dot = token.lastIndexOf('.');
    verify(
      'RSA-SHA256',
      Buffer.from(token.slice(0, dot)),
      publicKey,
      Buffer.from(token.slice(dot + 1), 'base64url'),
    );
  },
  'express-oauth2-jwt-bearer auth()': through(auth({ issuerBaseURL: issuer, audience: AUDIENCE })),
  'requireAuth() (cache on)': through(requireAuth({ issuerBaseURL: issuer, audience: AUDIENCE, env: {} })),
};

async function cpuPerToken(fn, tokens) {
  let next = 0;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < tokens.length) await fn(tokens[next++]);
    }),
  );
  const { user, system } = process.cpuUsage(before);
  return (user + system) / tokens.length;
}

if (availableParallelism() > 1)
  execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
for (const fn of Object.values(variants)) await cpuPerToken(fn, Array.from({ length: 500 }, mint)); // warm
const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
const loads = [loadavg()[0]];
for (let round = 0; round < ROUNDS; round++) {
  // Each round starts with the next variant, so none always runs on the heap another left behind.
  const names = Object.keys(variants);
  for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
    samples[name].push(await cpuPerToken(variants[name], Array.from({ length: PER_ROUND }, mint)));
  }
  loads.push(loadavg()[0]);
}
close();

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const library = median(samples['express-oauth2-jwt-bearer auth()']);
console.log(
  `\nMiss path, ${PER_ROUND} new tokens x ${ROUNDS} rounds, CPU µs per token (median);` +
    ` 1-min load average ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)}`,
);
console.table(
  Object.entries(samples).map(([name, values]) => ({
    '': name,
    'µs/token': median(values).toFixed(1),
    'x library': (median(values) / library).toFixed(2),
  })),
);
