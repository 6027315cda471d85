import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDevIdp, type DevIdp } from '../src/index.js';
import { discover } from './support.js';

// `pnpm dev` and the CLI set these for the IdP they start; a test's own IdP beside them keeps its options.
const running: DevIdp[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(running.splice(0).map((idp) => idp.close()));
});

async function start(...args: Parameters<typeof startDevIdp>): Promise<DevIdp> {
  const idp = await startDevIdp(...args);
  running.push(idp);
  return idp;
}

describe('startDevIdp with the environment of another IdP', () => {
  it('announces the issuer of the port it listens on, not ISSUER', async () => {
    vi.stubEnv('ISSUER', 'http://localhost:4000');
    vi.stubEnv('IDP_PORT', '4000');
    const idp = await start({ port: 0, quiet: true });
    expect(idp.port).not.toBe(4000);
    expect(idp.issuer).toBe(`http://localhost:${idp.port}/`);
    expect((await discover(idp.issuer)).issuer).toBe(idp.issuer);
  });

  it('starts with a port option whatever PORT says', async () => {
    vi.stubEnv('PORT', 'abc');
    const idp = await start({ port: 0, quiet: true });
    expect((await discover(idp.issuer)).issuer).toBe(`http://localhost:${idp.port}/`);
  });

  it('serves the issuer option over ISSUER', async () => {
    vi.stubEnv('ISSUER', 'http://localhost:4000/tenant');
    const idp = await start({ port: 0, quiet: true, issuer: 'http://localhost:4000/other' });
    expect(idp.issuer).toBe('http://localhost:4000/other');
  });

  it('still reads what no option says, as the README promises', async () => {
    vi.stubEnv('IDP_PORT', '0');
    vi.stubEnv('ISSUER', 'http://idp.test');
    const idp = await start({ quiet: true });
    expect(idp.issuer).toBe('http://idp.test/');
    // An issuer of its own (say, behind a proxy) is served at the port the environment chose.
    const response = await fetch(`http://localhost:${idp.port}/.well-known/openid-configuration`);
    expect(((await response.json()) as { issuer: string }).issuer).toBe('http://idp.test/');
  });
});
