import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startProbeServer } from './support/probe-server.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

// Each request to the issuer waits LATENCY: discovery then the JWKS together outlast TIMEOUT, each
// alone does not (by 0.9 s, for a loaded machine), so a refetch outlives the request that caused it.
const TIMEOUT = 2000;
const LATENCY = 1100;

/** A warm verifier (one JWKS fetch), then a key published under `next` and a slow issuer. */
async function rotatedOnSlowIssuer(options: { cooldownDuration?: number; agent?: Agent } = {}) {
  // No verified-token cache: every request below reaches key selection.
  const probe = await startProbeServer({ cache: false, timeoutDuration: TIMEOUT, ...options });
  cleanup.push(probe.stop);
  expect((await probe.call(await probe.idp.sign())).status).toBe(200);
  expect(probe.idp.jwksHits).toBe(1);
  await probe.idp.publishKey('next');
  probe.idp.latency = LATENCY;
  return probe;
}

describe('a key published on a slow issuer (rotation, refetch longer than timeoutDuration)', () => {
  it('is accepted once the refetch got the keys, which one JWKS request served', async () => {
    // The default cooldown (30 s) outlasts the test: only one refetch may happen.
    const { idp, call } = await rotatedOnSlowIssuer();
    let status = 0;
    for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
      const res = await call(await idp.sign({ sub: 'rotated' }, { kid: 'next' }));
      status = res.status;
      if (status !== 200) {
        expect(res.status).toBe(401);
        await sleep(200);
      }
    }
    expect(status).toBe(200);
    expect(idp.jwksHits).toBe(2);
    // The keys fetched are held now: both keys verify without another request.
    expect((await call(await idp.sign({}, { kid: 'next' }))).status).toBe(200);
    expect((await call(await idp.sign())).status).toBe(200);
    expect(idp.jwksHits).toBe(2);
  });

  it('accepts later tokens with the new kid, spaced wider than the cooldown, without refetching each time', async () => {
    const { idp, call } = await rotatedOnSlowIssuer({ cooldownDuration: 1500 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      if (i > 0) await sleep(1600);
      statuses.push((await call(await idp.sign({ n: i }, { kid: 'next' }))).status);
    }
    // The first may be answered before the keys come; by the third they are held.
    expect(statuses.slice(2)).toEqual([200, 200]);
    expect(idp.jwksHits).toBeLessThanOrEqual(3);
  });

  it('does not wait for a refetch that never ends once the cooldown has passed', async () => {
    // An app agent without a timeout: a discovery request the issuer never answers stays pending.
    const agent = new Agent();
    cleanup.push(async () => agent.destroy());
    const cooldownDuration = 1500;
    const { idp, call } = await rotatedOnSlowIssuer({ cooldownDuration, agent });
    idp.discoveryMode = 'hang';
    expect((await call(await idp.sign({}, { kid: 'next' }))).status).toBe(401);
    idp.discoveryMode = 'ok';
    await sleep(cooldownDuration + 100);
    let status = 0;
    for (let attempt = 0; attempt < 15 && status !== 200; attempt++) {
      status = (await call(await idp.sign({}, { kid: 'next' }))).status;
      if (status !== 200) await sleep(200);
    }
    expect(status).toBe(200);
  });
});
