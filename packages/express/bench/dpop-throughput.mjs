// `pnpm bench` (second part): req/s of one DPoP-bound token sent with a fresh proof per request, through
// express-oauth2-jwt-bearer's own DPoP mode and through @grantflow/express (replay store in memory, and
// in a real redis-server), all fed the same proofs. Variants alternate, each run in a fresh server
// process pinned to core 0 (autocannon on core 1); ratios taken within each round (paired), their median
// over ROUNDS rounds reported with the machine's load. Loopback only.
import { Buffer } from 'node:buffer';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import console from 'node:console';
import { createHash, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import autocannon from 'autocannon';
import { calculateJwkThumbprint, exportJWK } from 'jose';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DURATION = Number(process.env.BENCH_SECONDS ?? 2);
const CONNECTIONS = 50;
const POOL = Number(process.env.BENCH_DPOP_POOL ?? 16_000);
const AUDIENCE = 'https://api.bench/things';
// Every variant is addressed as this host, so the same proofs (same htu) fit them all.
const PUBLIC = 'http://api.bench';
const pinned = availableParallelism() > 1;
const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
const VARIANTS = ['library-dpop', 'grantflow-dpop-memory', ...(hasRedis ? ['grantflow-dpop-redis'] : [])];
if (!hasRedis)
  console.warn('redis-server not found: the Redis variant is skipped (apt-get install redis-server)');

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (input, key, dsa) =>
  createSign('SHA256')
    .update(input)
    .sign(dsa ? { key, dsaEncoding: 'ieee-p1363' } : key, 'base64url');

// The issuer: discovery and JWKS from this process; one RS256 access token bound to the proof key.
const issuerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...(await exportJWK(issuerKeys.publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
const jwksServer = createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.url === '/jwks.json') res.end(JSON.stringify({ keys: [jwk] }));
  else res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks.json` }));
});
await new Promise((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${jwksServer.address().port}`;

const proofKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const proofJwk = await exportJWK(proofKeys.publicKey);
const now = () => Math.floor(Date.now() / 1000);
const tokenInput = `${b64({ alg: 'RS256', kid: 'bench', typ: 'at+jwt' })}.${b64({
  iss: issuer,
  aud: AUDIENCE,
  sub: 'bench-user',
  scope: 'read:things',
  iat: now(),
  exp: now() + 7200,
  jti: randomUUID(),
  cnf: { jkt: await calculateJwkThumbprint(proofJwk) },
})}`;
const token = `${tokenInput}.${sign(tokenInput, issuerKeys.privateKey, false)}`;
const ath = createHash('sha256').update(token).digest('base64url');
const proofHeader = b64({ alg: 'ES256', typ: 'dpop+jwt', jwk: proofJwk });
function proof() {
  const input = `${proofHeader}.${b64({ htm: 'GET', htu: `${PUBLIC}/things`, iat: now(), jti: randomUUID(), ath })}`;
  return `${input}.${sign(input, proofKeys.privateKey, true)}`;
}

async function startRedis() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const command = (line) =>
    new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(`${line}\r\n`));
      socket.once('data', (data) => (socket.destroy(), resolve(String(data))));
      socket.once('error', () => resolve(''));
    });
  while (!(await command('PING')).startsWith('+PONG')) await sleep(50);
  return {
    url: `redis://127.0.0.1:${port}`,
    flush: () => command('FLUSHALL'),
    stop: () => child.kill('SIGKILL'),
  };
}

async function startServer(variant, redisUrl) {
  const args = [
    fileURLToPath(new URL('./dpop-server.mjs', import.meta.url)),
    variant,
    issuer,
    AUDIENCE,
    PUBLIC,
    redisUrl ?? '',
  ];
  const child = spawn(
    pinned ? 'taskset' : process.execPath,
    pinned ? ['-c', '0', process.execPath, ...args] : args,
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (data) => resolve(Number(String(data).trim())));
    child.once('exit', (code) => reject(new Error(`${variant} server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/things`,
    stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))),
  };
}

function load(url, proofs, duration) {
  let next = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    headers: { host: 'api.bench', authorization: `DPoP ${token}`, dpop: '' },
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ((request.headers.dpop = proofs[next++ % proofs.length]), request),
      },
    ],
  }).then((result) => ({ result, sent: next }));
}

console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (${availableParallelism()} cores)`,
);
if (pinned) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
const redis = hasRedis ? await startRedis() : undefined;
const samples = Object.fromEntries(VARIANTS.map((v) => [v, []]));
const loads = [loadavg()[0]];
for (let round = 1; round <= ROUNDS; round++) {
  // Fresh proofs each round (their iat must stay recent); every variant gets the same ones.
  const proofs = Array.from({ length: POOL }, proof);
  const warmup = Array.from({ length: 4000 }, proof);
  for (const variant of VARIANTS) {
    await redis?.flush();
    const server = await startServer(variant, redis?.url);
    try {
      await load(server.url, warmup, 0.5);
      const { result, sent } = await load(server.url, proofs, DURATION);
      if (result.non2xx || result.errors)
        console.warn(`  ${variant}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      if (sent > proofs.length)
        console.warn(`  ${variant}: proof pool exhausted (${sent} requests): replays refused`);
      samples[variant].push(result.requests.average);
    } finally {
      await server.stop();
    }
  }
  loads.push(loadavg()[0]);
  console.log(`round ${round}/${ROUNDS} done (load average ${loads.at(-1).toFixed(2)})`);
}
redis?.stop();
jwksServer.close();

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** Median over rounds of `variant / library-dpop` within each round (paired). */
const paired = (variant) => median(samples[variant].map((rps, i) => rps / samples['library-dpop'][i]));
console.log(
  `\nDPoP: ${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} paired rounds${pinned ? ', app on core 0' : ''};` +
    ` 1-min load average ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)} on ${availableParallelism()} cores`,
);
console.table(
  VARIANTS.map((variant) => ({
    variant,
    'req/s': Math.round(median(samples[variant])),
    'x library-dpop': paired(variant).toFixed(2),
    runs: samples[variant].map(Math.round).join(' '),
  })),
);
