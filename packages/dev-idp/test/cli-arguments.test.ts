import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built bin, as `pnpm dev` and app teams run it; on a free port, keeping nothing.
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const env = { ...process.env, IDP_PORT: '0', ISSUER: '' };

function run(args: string[]) {
  // The bound only ends a run that wrongly starts a server; every expected run exits by itself.
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, timeout: 30_000 });
}

describe('grantflow-dev-idp arguments', () => {
  it.each([
    [['--in-memory', '--port', '5555', '--issuer', 'http://x.test'], '"--port"'],
    [['--in-memory', 'serve'], '"serve"'],
    [['--brief=false', '--in-memory'], '"--brief=false"'],
  ])('refuses %j with the usage on stderr and exit code 2', (args, named) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`unknown argument ${named}`);
    expect(result.stderr).toContain('Usage: grantflow-dev-idp');
    expect(result.stderr).toContain('IDP_PORT or PORT');
  });

  it('prints the usage on stdout for --help and -h', () => {
    for (const flag of ['--help', '-h']) {
      const result = run([flag]);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('Usage: grantflow-dev-idp');
    }
  });

  it('starts with the flags it knows, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, '--in-memory', '--brief'], { env });
    const exited = once(child, 'exit');
    try {
      let stderr = '';
      child.stderr.setEncoding('utf8');
      const announced = new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk: string) => {
          stderr += chunk;
          const issuer = /on (http:\/\/localhost:\d+\/)/.exec(stderr)?.[1];
          if (issuer !== undefined) resolve(issuer);
        });
        void exited.then(() => reject(new Error(`exited before listening: ${stderr}`)));
      });
      const issuer = await announced;
      const discovery = await fetch(new URL('.well-known/openid-configuration', issuer));
      expect(((await discovery.json()) as { issuer: string }).issuer).toBe(issuer);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toEqual([0, null]);
  });
});
