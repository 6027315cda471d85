import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startProbeServer } from './support/probe-server.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

// Discovery then the JWKS, each LATENCY late, outlast TIMEOUT together: the first request's deadline
// passes while the keys are still on their way.
const TIMEOUT = 1000;
const LATENCY = 900;

/** A verifier whose first request timed out on a slow issuer, once the keys fetched for it have come. */
async function keysCameAfterTheDeadline() {
  const probe = await startProbeServer({ cache: false, timeoutDuration: TIMEOUT });
  cleanup.push(probe.stop);
  probe.idp.latency = LATENCY;
  expect((await probe.call(await probe.idp.sign())).status).toBe(401);
  // Asked for around the deadline, the JWKS answers LATENCY later.
  await expect.poll(() => probe.idp.jwksHits, { timeout: 10_000 }).toBe(1);
  await sleep(LATENCY + 400);
  return probe;
}

describe('an issuer slower than timeoutDuration on the first fetch', () => {
  it('answers later tokens from the keys that came after the deadline, with no fetch of its own', async () => {
    const { idp, call } = await keysCameAfterTheDeadline();
    idp.latency = 0;
    expect((await call(await idp.sign())).status).toBe(200);
    expect((await call(await idp.sign({ sub: 'other' }))).status).toBe(200);
    expect([idp.discoveryHits, idp.jwksHits]).toEqual([1, 1]);
  });

  it('keeps accepting known keys when the issuer then hangs', async () => {
    const { idp, call } = await keysCameAfterTheDeadline();
    idp.discoveryMode = 'hang';
    idp.jwksMode = 'hang';
    expect((await call(await idp.sign())).status).toBe(200);
    expect((await call(await idp.sign({ sub: 'other' }))).status).toBe(200);
    expect([idp.discoveryHits, idp.jwksHits]).toEqual([1, 1]);
  });
});
