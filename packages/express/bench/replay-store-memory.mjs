// `node --expose-gc bench/replay-store-memory.mjs` (after `pnpm build`): heap bytes per proof held by
// the in-memory replay store, keyed as the middleware keys it (`<jkt>:<jti>`), for three kinds of
// `jti`: a UUID, 256 base64url characters (the longest accepted), 256 characters outside Latin-1.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import console from 'node:console';
import process from 'node:process';
import { createMemoryReplayStore } from '@grantflow/express';

const N = 200_000;
const jkt = createHash('sha256').update('bench').digest('base64url');
const KINDS = {
  uuid: () => randomUUID(),
  'base64url, 256 characters': (i) =>
    randomBytes(192).toString('base64url').slice(0, 250) + i.toString(36).padStart(6, '0'),
  'non-Latin-1, 256 characters': (i) => 'ā'.repeat(200) + i.toString().padStart(56, '0'),
};

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
// Kept reachable until the end, so the collector measures what each one holds.
const stores = [];
for (const [kind, make] of Object.entries(KINDS)) {
  const store = createMemoryReplayStore({ max: N });
  stores.push(store);
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < N; i++) {
    // As a proof's payload gives it: a flat string out of JSON.parse.
    const jti = JSON.parse(JSON.stringify(make(i)));
    await store.setIfAbsent(`${jkt}:${jti}`, 60_000);
  }
  globalThis.gc();
  console.log(`jti ${kind}: ${Math.round((process.memoryUsage().heapUsed - before) / N)} B per proof`);
}
console.log(`${stores.length} stores of ${N.toLocaleString('en')} proofs each`);
