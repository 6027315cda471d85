import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loopbackFront, type LoopbackFront } from '../../../scripts/loopback-front.js';
import { DEFAULT_AUDIENCE, startDevIdp, type DevIdp } from '../src/index.js';
import { ALICE, BOB, REDIRECT_URI, discover, signInForTokens, tokenRequest } from './support.js';

let dir: string;
let running: DevIdp | undefined;
// One port for every start, so the issuer (and so the tokens' `iss`) stays the same, as under
// `pnpm dev`; each IdP itself listens on a port of its own, as the one it would restart on could be
// taken by another server meanwhile.
let front: LoopbackFront;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dev-idp-'));
  front = await loopbackFront();
});

afterEach(async () => {
  await running?.close();
  running = undefined;
  await front.close();
  await rm(dir, { recursive: true, force: true });
});

async function start(): Promise<DevIdp> {
  running = await startDevIdp({
    port: 0,
    issuer: `http://localhost:${front.port}/`,
    quiet: true,
    persistDir: dir,
    redirectUris: [REDIRECT_URI],
  });
  front.route(running.port);
  return running;
}

describe('persistDir', () => {
  it('keeps signing keys and refresh tokens across a restart', async () => {
    const first = await start();
    const firstDiscovery = await discover(first.issuer);
    const { body } = await signInForTokens(firstDiscovery, ALICE);
    await first.close();

    const second = await start();
    expect(second.issuer).toBe(first.issuer);
    const discovery = await discover(second.issuer);
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    await jwtVerify(body.access_token ?? '', jwks, { issuer: second.issuer, audience: DEFAULT_AUDIENCE });

    const refreshed = await tokenRequest(discovery, {
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token ?? '',
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).toEqual(expect.any(String));
    expect(await readdir(dir)).toContain('secrets.json');
  });

  it('reads grants from the folder, not from process memory', async () => {
    const first = await start();
    const { body } = await signInForTokens(await discover(first.issuer), BOB);
    await first.close();
    expect(await readdir(dir)).toContain('RefreshToken.json');
    await rm(join(dir, 'RefreshToken.json'));

    const second = await start();
    const refreshed = await tokenRequest(await discover(second.issuer), {
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token ?? '',
    });
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it('starts from fresh keys without a persistDir', async () => {
    const a = await startDevIdp({ port: 0, quiet: true });
    const b = await startDevIdp({ port: 0, quiet: true });
    try {
      const keys = async (idp: DevIdp) =>
        (
          (await (await fetch(`${idp.issuer}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }
        ).keys.map((k) => k.kid);
      expect(await keys(a)).not.toEqual(await keys(b));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
