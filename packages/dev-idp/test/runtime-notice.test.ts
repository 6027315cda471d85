import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runtimeNotice } from '../src/runtime.js';

describe('runtimeNotice', () => {
  it('is silent on the LTS lines oidc-provider supports (22 "Jod", 24 "Krypton" and later)', () => {
    expect(runtimeNotice({ lts: 'Jod' }, 'v22.23.5')).toBeUndefined();
    expect(runtimeNotice({ lts: 'Krypton' }, 'v24.22.3')).toBeUndefined();
  });

  it('names the Node version and what to use instead on Node 20 and on non-LTS releases', () => {
    expect(runtimeNotice({ lts: 'Iron' }, 'v20.20.2')).toMatch(
      /^Node v20\.20\.2 is past its end of life; .*Node 22 LTS and later.*Node 24 LTS/,
    );
    expect(runtimeNotice({}, 'v25.1.0')).toMatch(/^Node v25\.1\.0 is not an LTS release; /);
  });

  it('points at nothing only this repository has, as an app team runs the published package', () => {
    expect(runtimeNotice({ lts: 'Iron' }, 'v20.20.2')).not.toMatch(/\.nvmrc|this repository|pnpm dev/);
  });
});

describe('starting the dev IdP', () => {
  // The built package, as an app uses it, in a process of its own (so oidc-provider loads fresh).
  const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  const script = `const { startDevIdp } = await import(${JSON.stringify(entry)});
await (await startDevIdp({ port: 0 })).close();`;

  // A fresh Node loading oidc-provider and making keys: over 30 s was seen in CI, with turbo running every
  // package's tests on two cores.
  const START_LIMIT = 120_000;

  it(
    "prints none of oidc-provider's warnings, and the runtime notice once where it applies",
    { timeout: START_LIMIT },
    () => {
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: START_LIMIT,
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).not.toContain('oidc-provider WARNING');
      expect(run.stderr).toContain('grantflow dev IdP');
      const notice = runtimeNotice();
      const count = notice === undefined ? 0 : run.stderr.split(notice).length - 1;
      expect(count).toBe(notice === undefined ? 0 : 1);
    },
  );
});
