import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { devIdpForFile, jwtPayload, tempDirs, AUDIENCE } from './support.js';
import { loginWithCli, runCli, startProcess, userEnvIn } from './cli-process.js';

// `pnpm grantflow …` at the repository root, as the README tells a developer to run it: it builds the
// CLI with turbo first, whose output must never reach the CLI's stdout (`$(pnpm -s grantflow token)`).
const ROOT = join(import.meta.dirname, '..', '..', '..');
const started = devIdpForFile();
const tempDir = tempDirs();

/** `pnpm -s grantflow <args>` at the root, in the given environment over ours (less IDP_PORT and PORT). */
function startRootScript(args: string[], env: Record<string, string>) {
  return startProcess('pnpm', ['-s', 'grantflow', ...args], { cwd: ROOT, env: withoutOurPorts(env) });
}

function withoutOurPorts(env: Record<string, string>) {
  const { IDP_PORT: _idp, PORT: _port, ...inherited } = process.env;
  return { ...inherited, ...env };
}

const userEnv = async (idpPort = started.idp.port) => userEnvIn(await tempDir(), idpPort);

describe('`pnpm grantflow` at the repository root', { timeout: 120_000 }, () => {
  it('prints only the version on stdout for --version, turbo build output going to stderr', async () => {
    const { code, stdout } = await runCli(['--version'], {}, startRootScript);
    expect(code).toBe(0);
    expect(stdout).toBe(`${packageJson.version}\n`);
  });

  it('signs in with the dev IdP on IDP_PORT; `token` prints only the token, `whoami --json` only JSON', async () => {
    const env = await userEnv();
    const login = await loginWithCli(env, [], 'allow', startRootScript);
    expect(login.code).toBe(0);
    expect(login.stdout).toBe('');

    const token = await runCli(['token'], env, startRootScript);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(jwtPayload(token.stdout.trim())).toMatchObject({ aud: AUDIENCE, sub: 'alice' });

    const whoami = await runCli(['whoami', '--json'], env, startRootScript);
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({
      issuer: started.idp.issuer,
      user: { email: 'alice@example.com' },
    });
  });

  it('follows PORT when IDP_PORT is unset and uses port 4000 without either, exiting with the CLI code', async () => {
    const { XDG_CONFIG_HOME, HOME } = await userEnv();
    const withPort = await runCli(['token'], { XDG_CONFIG_HOME, HOME, PORT: '4719' }, startRootScript);
    const withNeither = await runCli(['token'], { XDG_CONFIG_HOME, HOME }, startRootScript);
    expect([withPort.code, withNeither.code]).toEqual([4, 4]);
    expect(withPort.stderr).toContain('not signed in to http://localhost:4719/');
    expect(withNeither.stderr).toContain('not signed in to http://localhost:4000/');
    expect(withPort.stdout + withNeither.stdout).toBe('');
  });

  it('lets the CLI cancel a waiting login on Ctrl-C and exits with its code, 130', async () => {
    // Without pnpm in front, which itself dies of the SIGINT (the shell then reports 130 as well).
    const run = startProcess(process.execPath, ['scripts/grantflow.mjs', 'login', '--no-browser'], {
      cwd: ROOT,
      env: withoutOurPorts(await userEnv()),
      detached: true,
    });
    await run.waitForStderr(/waiting for the browser/i);
    // A terminal's Ctrl-C signals every process of its foreground group: here the script and the CLI.
    process.kill(-run.child.pid!, 'SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.stderr).toContain('grantflow: login cancelled (Ctrl-C)');
  });
});
