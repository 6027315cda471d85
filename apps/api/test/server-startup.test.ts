import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const server = fileURLToPath(new URL('../src/server.ts', import.meta.url));
// `--import tsx` resolves from the working directory: the app's, also when vitest runs from the root.
const appDir = fileURLToPath(new URL('..', import.meta.url));

// tsx compiles the app at each start: up to 25 s seen in CI, with turbo running other packages' tests.
const START_LIMIT = 120_000;

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', server], {
    cwd: appDir,
    env: { ...process.env, API_PORT: '0', ...env },
    encoding: 'utf8',
    timeout: START_LIMIT,
  });
}

describe('pnpm start with an invalid configuration', () => {
  it.each([
    [
      'ISSUER_BASE_URL=not-a-url',
      { ISSUER_BASE_URL: 'not-a-url' },
      /'issuers\[0\]\.issuerBaseURL' must be an absolute URL, got "not-a-url"\./,
    ],
    ['API_PORT=abc', { API_PORT: 'abc' }, /API_PORT must be a port number/],
    [
      'CORS_ORIGINS with a path',
      { CORS_ORIGINS: 'http://a.example/app' },
      /CORS_ORIGINS must list origins such as https:\/\/app\.example\.com, got "http:\/\/a\.example\/app" \(did you mean http:\/\/a\.example\?\)\./,
    ],
    ['DEMO_SEED=yes', { DEMO_SEED: 'yes' }, /DEMO_SEED must be 0 or 1, got "yes"\./],
    ['DPOP_MODE=on', { DPOP_MODE: 'on' }, /DPOP_MODE must be off, allowed or required/],
    [
      'a short DPOP_NONCE_SECRET',
      { DPOP_NONCE_SECRET: 'short' },
      /DPOP_NONCE_SECRET must be at least 32 characters, got 5\./,
    ],
  ])(
    '%s: prints one line naming the problem, no stack, and exits 1',
    { timeout: START_LIMIT },
    (_case, env, message) => {
      const run = start(env);
      expect(run.status).toBe(1);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^@grantflow\/api could not start: /);
      expect(lines[0]).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    },
  );
});
