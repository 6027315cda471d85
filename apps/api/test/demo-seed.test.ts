import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { DEMO_USERS, issueTokens, startDevIdp, type DevIdp } from '@grantflow/dev-idp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { WELCOME_APPOINTMENT } from '../src/appointment-store.js';
import { loadConfig } from '../src/config.js';
import { closeAll } from './support/servers.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
// tsx compiles the app at each start: up to 25 s seen in CI, with turbo running other packages' tests.
const START_LIMIT = 120_000;

/** Runs one of the app's package scripts with API_PORT=0; resolves with its URL and a way to stop it. */
function runScript(script: 'start' | 'dev', env: Record<string, string>) {
  const { DEMO_SEED: _inherited, ...inherited } = process.env;
  // Its own process group, so stopping it also stops what pnpm and tsx (watch) started.
  const child = spawn('pnpm', ['run', '--silent', script], {
    cwd: appDir,
    env: { ...inherited, API_PORT: '0', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      process.kill(-child.pid!, 'SIGTERM');
    });
  const url = new Promise<string>((resolve, reject) => {
    let output = '';
    const read = (chunk: Buffer) => {
      output += chunk;
      const listening = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (listening) resolve(listening[1]!);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', () => reject(new Error(`pnpm ${script} exited before listening:\n${output}`)));
  });
  return { url, stop };
}

describe('the welcome appointment is opt-in (DEMO_SEED=1)', () => {
  let idp: DevIdp;
  let token: string;

  beforeAll(async () => {
    idp = await startDevIdp({ port: 0, quiet: true });
    token = (await issueTokens(idp.issuer, DEMO_USERS[0]!)).access_token;
  });
  afterAll(async () => {
    await idp.close();
  });

  const titles = async (api: Server | string) => {
    const res = await request(api).get('/api/appointments').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    return (res.body.appointments as { title: string }[]).map(({ title }) => title);
  };

  it.each([
    [{}, []],
    [{ DEMO_SEED: '0' }, []],
    [{ DEMO_SEED: '1' }, [WELCOME_APPOINTMENT.title]],
  ])('the app configured from %j lists a new caller %j', async (env, expected) => {
    const app = createApp(loadConfig({ ISSUER_BASE_URL: idp.issuer, ...env }));
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      expect(await titles(server)).toEqual(expected);
    } finally {
      await closeAll([server]);
    }
  });

  it.each([
    ['start', {}, []],
    ['dev', {}, [WELCOME_APPOINTMENT.title]],
    ['dev', { DEMO_SEED: '0' }, []],
  ] as const)(
    'pnpm %s with %j lists a new caller %j',
    { timeout: START_LIMIT },
    async (script, env, expected) => {
      const api = runScript(script, { ISSUER_BASE_URL: idp.issuer, ...env });
      try {
        expect(await titles(await api.url)).toEqual(expected);
      } finally {
        await api.stop();
      }
    },
  );
});
